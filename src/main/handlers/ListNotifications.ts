import type { ListNotificationsInput, ListNotificationsOutput } from '../../../generated/server/operations';
import type * as S from '../../../generated/schemas';
import { ok } from '../../shared/envelope';
import { caller, type RequestContext } from '../../shared/http/service-app';
import { notificationItem } from '../notifications/mapping';
import type { NotificationRepo } from '../workbench-store/notification-repo';

export function makeListNotifications(deps: { notifications: NotificationRepo }) {
  return async function ListNotifications(input: ListNotificationsInput, ctx: RequestContext): Promise<ListNotificationsOutput> {
    const auth = caller(ctx);
    const limit = input.query.limit ?? 50;
    const before = input.query.before !== undefined ? Number(input.query.before) : undefined;
    const rows = await deps.notifications.list(auth.tenantId, limit, before);
    const data: S.NotificationList = { items: rows.map(notificationItem) };
    if (rows.length === limit && rows.length > 0) data.nextBefore = String(rows[rows.length - 1]!.id);
    return { status: 200, body: ok(data, 'OK', ctx.traceId) };
  };
}
