// The HITL_REQUEST notification (channel `hitlRequestAddress()`), built from the request
// record as it is after the change. Aura (create, expire) and the backend (decide) publish the
// same shape from the same factory, and each message carries the whole item, so the backend's
// inbox table can apply them in any order.
import type * as S from '../../../generated/schemas';
import { isIdentifier } from '../ids';
import { isoNow } from '../time';

function idOr(value: unknown): string | undefined {
  return isIdentifier(value) ? value : undefined;
}

export function hitlRequestNotification(r: S.HitlRequestRecord, at?: Date): S.HitlRequestNotification {
  const n: S.HitlRequestNotification = {
    type: 'NOTIFICATION',
    category: 'HITL_REQUEST',
    message: r.message ?? `Approval needed: ${r.actionType}`,
    timestamp: isoNow(at),
    tenant_id: r.tenantId,
    request_id: r.requestId,
    session_id: r.sessionId,
    status: r.status,
    action_type: r.actionType,
    requested_by: r.userId,
    requested_at: r.createdAt,
  };
  const caseId = idOr(r.context.caseId);
  if (caseId) n.case_id = caseId;
  if (typeof r.context.docKey === 'string' && r.context.docKey) n.doc_key = r.context.docKey;
  // Aura puts the run's stream in the context: the inbox replays the reasoning from it.
  const streamId = idOr(r.context.streamId);
  if (streamId) n.stream_id = streamId;
  if (r.expiresAt !== undefined) n.expires_at = r.expiresAt;
  const decidedBy = r.approvedBy ?? r.rejectedBy;
  if (decidedBy) n.decided_by = decidedBy;
  const decidedAt = r.approvedAt ?? r.rejectedAt ?? r.expiredAt;
  if (decidedAt !== undefined) n.decided_at = decidedAt;
  if (r.reason !== undefined) n.reason = r.reason;
  return n;
}
