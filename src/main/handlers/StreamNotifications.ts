import type { StreamNotificationsEvents, StreamNotificationsInput } from '../../../generated/server/operations';
import type * as S from '../../../generated/schemas';
import { caller, type RequestContext } from '../../shared/http/service-app';
import { unixSeconds } from '../../shared/time';
import type { NotificationHub } from '../notifications/hub';
import { eventId, notificationItem, pushEvent, rowIdFromEventId } from '../notifications/mapping';
import type { NotificationRepo } from '../workbench-store/notification-repo';

const REPLAY_PAGE = 200;
const REPLAY_MAX = 5000;

/**
 * Live push of the tenant's notifications. With Last-Event-ID the stored rows after that id are
 * replayed first; live items arriving meanwhile are held back and sent after the replay, once.
 */
export function makeStreamNotifications(deps: { notifications: NotificationRepo; hub: NotificationHub }) {
  return async function StreamNotifications(input: StreamNotificationsInput, ctx: RequestContext): Promise<void> {
    const { tenantId } = caller(ctx);
    const stream = ctx.openStream<StreamNotificationsEvents>();
    const sent = new Set<string>();
    const held: S.NotificationItem[] = [];
    let replaying = true;
    let dedupe = true;
    const send = (item: S.NotificationItem) => {
      if (dedupe) {
        if (sent.has(item.id)) return;
        sent.add(item.id);
      }
      stream.send('notification', pushEvent(item), eventId(tenantId, item.id));
    };
    const unsubscribe = deps.hub.subscribe(tenantId, (item) => (replaying ? held.push(item) : send(item)));
    const closed = new Promise<void>((resolve) => {
      stream.onClose(resolve);
      const off = deps.hub.onClose(() => {
        stream.end();
        resolve();
      });
      stream.onClose(() => off());
    });
    try {
      const last = input.headers['last-event-id'];
      if (last !== undefined) {
        const after = rowIdFromEventId(tenantId, last);
        if (after === undefined) {
          stream.send('error', {
            type: 'error',
            version: '1.0',
            timestamp: unixSeconds(),
            error: `Last-Event-ID ${last} is not an event of this stream`,
            errorType: 'UnknownEventId',
            message: 'Continuing with live notifications only',
          });
        } else {
          let cursor = after;
          for (let total = 0; total < REPLAY_MAX && !stream.closed; ) {
            const rows = await deps.notifications.after(tenantId, cursor, REPLAY_PAGE);
            for (const r of rows) send(notificationItem(r));
            total += rows.length;
            if (rows.length < REPLAY_PAGE) break;
            cursor = rows[rows.length - 1]!.id;
          }
        }
      }
      replaying = false;
      held.sort((a, b) => Number(a.id) - Number(b.id));
      for (const item of held.splice(0)) send(item);
      // Replay and held items overlap only up to here; live items are each published once.
      dedupe = false;
      sent.clear();
      await closed;
    } finally {
      unsubscribe();
    }
  };
}
