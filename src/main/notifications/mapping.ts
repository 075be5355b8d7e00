import type * as S from '../../../generated/schemas';
import type { Notification } from '../../shared/db/schema';

// Pure mapping from the stored rows to the SSE events (the rows themselves: workbench-store/notification-row.ts).

export function notificationItem(row: Notification): S.NotificationItem {
  return {
    id: String(row.id),
    tenantId: row.tenant_id,
    type: row.type as S.NotificationCategory,
    title: row.title,
    content: row.content,
    caseId: row.case_id,
    occurredAt: row.occurred_at.toISOString(),
    payload: row.payload,
  };
}

export function pushEvent(item: S.NotificationItem): S.NotificationPushEvent {
  const ev: S.NotificationPushEvent = { type: 'notification', notification: item };
  // The receiving workbench reloads the case a decision was taken on.
  if (item.type === 'CASE_ACTION' && item.caseId) ev.refetch = { resource: 'case', caseId: item.caseId };
  return ev;
}

export function streamIdOf(tenantId: string): string {
  return `notifications-${tenantId}`;
}

export function eventId(tenantId: string, rowId: string | number): string {
  return `${streamIdOf(tenantId)}:${rowId}`;
}

/** The row id a Last-Event-ID names, or undefined when it names another stream. */
export function rowIdFromEventId(tenantId: string, lastEventId: string): number | undefined {
  const prefix = `${streamIdOf(tenantId)}:`;
  if (!lastEventId.startsWith(prefix)) return undefined;
  const rest = lastEventId.slice(prefix.length);
  if (!/^[0-9]{1,15}$/.test(rest)) return undefined;
  return Number(rest);
}
