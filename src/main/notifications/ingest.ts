import { parseWorkbenchNotification } from '../../../generated/redis';
import type { Logger } from '../../shared/logger';
import type { MainMetrics } from '../metrics';
import type { NotificationHub } from './hub';
import { notificationItem, notificationRow } from './mapping';
import type { NotificationRepo } from './repo';

export type WorkbenchHandler = (channel: string, raw: string | Buffer) => Promise<void>;

/**
 * One workbench message: validate (invalid → logged, counted, dropped), store per tenant (a
 * repeat of an already stored event is dropped), push to the tenant's open streams. Never throws:
 * the subscriber must survive anything published on `workbench:*`.
 */
export function createWorkbenchIngest(deps: { repo: NotificationRepo; hub: NotificationHub; metrics: MainMetrics; log: Logger }): WorkbenchHandler {
  return async (channel, raw) => {
    let msg;
    try {
      msg = parseWorkbenchNotification(raw);
    } catch (err) {
      deps.metrics.notificationsInvalid.inc();
      deps.log.warn({ channel, err: (err as Error).message.slice(0, 500) }, 'invalid workbench message dropped');
      return;
    }
    deps.metrics.notificationsReceived.inc({ category: msg.category });
    try {
      const row = await deps.repo.insert(notificationRow(msg));
      if (row) deps.hub.publish(notificationItem(row));
    } catch (err) {
      deps.metrics.notificationsFailed.inc();
      deps.log.error({ channel, err: (err as Error).message }, 'workbench message could not be stored');
    }
  };
}
