import { validateCaseActionMessage } from '../../../generated/redis';
import type * as S from '../../../generated/schemas';
import type { JsonObject, Notification } from '../../shared/db/schema';
import { isoNow } from '../../shared/time';
import type { LedgerEntry } from '../hitl/messages';
import { messageInboxItem } from '../hitl/inbox';

// Pure mapping between the Redis NOTIFICATION messages, the stored rows and the SSE events.

export interface NewNotificationRow {
  tenantId: string;
  type: S.NotificationCategory;
  title: string;
  content: string;
  caseId: string | null;
  payload: JsonObject;
  occurredAt: string;
  dedupeKey: string | null;
}

const TITLES: Record<S.NotificationCategory, string> = {
  CASE_ACTION: 'Case action',
  RAG_STATUS: 'Knowledge base updated',
  AI_DETECT: 'New anomaly detected',
  HITL_REQUEST: 'Approval request',
};

export function caseActionDedupeKey(requestId: string, actionType: string): string {
  return `CASE_ACTION:${requestId}:${actionType}`;
}

/**
 * One key per event, taken from the message itself, so the same message received twice (live
 * on the channel and again from the workbench outbox, or published twice by a retry) is one
 * row. CASE_ACTION: one per decision (the backend's own copy has the same key). AI_DETECT: one
 * per analysis run. RAG_STATUS: one per ingestion (document and time).
 */
export function dedupeKeyOf(msg: S.WorkbenchNotification): string {
  switch (msg.category) {
    case 'CASE_ACTION':
      return caseActionDedupeKey(msg.request_id, msg.action_type);
    case 'AI_DETECT':
      return msg.run_id ? `AI_DETECT:${msg.tenant_id}:${msg.run_id}` : `AI_DETECT:${msg.tenant_id}:${msg.case_id}:${msg.timestamp}`;
    case 'RAG_STATUS':
      return `RAG_STATUS:${msg.tenant_id}:${msg.rag_document_id}:${msg.timestamp}`;
    case 'HITL_REQUEST':
      // One per change of a request: its creation, then its one decision or expiry. Keyed by
      // the session (one request per session), apart from the request's CASE_ACTION key space.
      return `HITL_REQUEST:${msg.tenant_id}:${msg.session_id}:${msg.status}`;
  }
}

/** category→type, message→content, timestamp→occurredAt, plus a title; the message kept whole as payload. */
export function notificationRow(msg: S.WorkbenchNotification): NewNotificationRow {
  const caseId = 'case_id' in msg ? (msg.case_id ?? null) : null;
  let title = TITLES[msg.category];
  if (msg.category === 'CASE_ACTION') title = `${TITLES.CASE_ACTION} ${msg.status_code}: ${msg.case_id}`;
  if (msg.category === 'AI_DETECT') title = `${TITLES.AI_DETECT}: ${msg.case_id}`;
  if (msg.category === 'HITL_REQUEST') title = `${TITLES.HITL_REQUEST} ${msg.status}: ${msg.case_id ?? msg.request_id}`;
  return {
    tenantId: msg.tenant_id,
    type: msg.category,
    title,
    content: msg.message,
    caseId,
    // A HITL_REQUEST is stored as the inbox item it changes (what the workbench shows), not as
    // the wire message: its snake_case `request_id` is the CASE_ACTION's key of a decision, and a
    // change of the inbox is not a case action.
    payload: (msg.category === 'HITL_REQUEST' ? messageInboxItem(msg) : msg) as unknown as JsonObject,
    occurredAt: msg.timestamp,
    dedupeKey: dedupeKeyOf(msg),
  };
}

const MESSAGES = { APPROVED: '조치 승인됨', REJECTED: '조치 거절됨', HOLD: '조치 보류됨' } as const;

/** The CASE_ACTION the backend records itself with a decision (validated against the contract). */
export function caseActionMessage(e: LedgerEntry & { caseId: string }, extra: { historyId: number; documentUpdated: boolean }): S.CaseActionNotification {
  const msg: S.CaseActionNotification = {
    type: 'NOTIFICATION',
    category: 'CASE_ACTION',
    message: MESSAGES[e.statusCode],
    timestamp: isoNow(new Date(e.at * 1000)),
    tenant_id: e.tenantId,
    case_id: e.caseId,
    request_id: e.requestId,
    executor_id: e.executorId,
    action_type: e.actionType,
    approved: e.statusCode === 'APPROVED',
    status_code: e.statusCode,
    history_id: extra.historyId,
    fi_doc_updated: extra.documentUpdated,
  };
  if (e.docKey) msg.doc_key = e.docKey;
  return validateCaseActionMessage(msg);
}

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
