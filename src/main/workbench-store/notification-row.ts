import type * as S from '../../../generated/schemas';
import type { JsonObject } from '../../shared/db/schema';
import { messageInboxItem } from './hitl-inbox';

// Pure mapping from the Redis NOTIFICATION messages to the stored rows (the SSE side: notifications/mapping.ts).

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
