import type { HitlChannelMessage } from '../../../generated/redis';
import type * as S from '../../../generated/schemas';
import type { ActionStatusCode, ActionType } from '../../shared/db/schema';

export type DecisionStatus = 'approved' | 'rejected';

export interface Decision {
  status: DecisionStatus;
  deciderId: string;
  /** Unix seconds. */
  at: number;
  reason?: string;
}

// Pure factories: the contract tests call the same functions production publishes with.

/** The record as stored after the decision (`approvedBy/At` or `rejectedBy/At/reason`). */
export function decidedRecord(record: S.HitlRequestRecord, d: Decision): S.HitlRequestRecord {
  const next: S.HitlRequestRecord = { ...record, status: d.status };
  if (d.status === 'approved') {
    next.approvedBy = d.deciderId;
    next.approvedAt = d.at;
  } else {
    next.rejectedBy = d.deciderId;
    next.rejectedAt = d.at;
    if (d.reason !== undefined) next.reason = d.reason;
  }
  return next;
}

/** The message published on `hitlChannelAddress(...)` and stored at `hitlSignalKey(...)`. */
export function decisionSignal(requestId: string, d: Decision): HitlChannelMessage {
  return d.status === 'approved'
    ? { type: 'approval', requestId, status: 'approved', timestamp: d.at }
    : { type: 'rejection', requestId, status: 'rejected', reason: d.reason ?? '', timestamp: d.at };
}

/** The decision a decided record holds, or undefined while it is pending. */
export function storedDecision(record: S.HitlRequestRecord): Decision | undefined {
  if (record.status === 'approved' && record.approvedBy !== undefined) {
    return { status: 'approved', deciderId: record.approvedBy, at: record.approvedAt ?? record.createdAt };
  }
  if (record.status === 'rejected' && record.rejectedBy !== undefined) {
    const d: Decision = { status: 'rejected', deciderId: record.rejectedBy, at: record.rejectedAt ?? record.createdAt };
    if (record.reason !== undefined) d.reason = record.reason;
    return d;
  }
  return undefined;
}

export interface LedgerEntry {
  tenantId: string;
  requestId: string;
  sessionId: string;
  caseId: string | null;
  docKey: string | null;
  actionType: ActionType;
  statusCode: ActionStatusCode;
  executorId: string;
  reason: string | null;
  /** Unix seconds of the decision (a retry records the original time). */
  at: number;
}

/** What the database records for a decided request. */
export function ledgerEntry(record: S.HitlRequestRecord, d: Decision): LedgerEntry {
  const ctx = record.context ?? {};
  return {
    tenantId: record.tenantId,
    requestId: record.requestId,
    sessionId: record.sessionId,
    caseId: typeof ctx.caseId === 'string' ? ctx.caseId : null,
    docKey: typeof ctx.docKey === 'string' && ctx.docKey !== '' ? ctx.docKey : null,
    actionType: d.status === 'approved' ? 'APPROVE' : 'REJECT',
    statusCode: d.status === 'approved' ? 'APPROVED' : 'REJECTED',
    executorId: d.deciderId,
    reason: d.reason ?? null,
    at: d.at,
  };
}

/**
 * What the database records when Aura reports that a HITL wait timed out: the case goes on
 * HOLD. The request record (still in Redis) gives the session and document; the notification
 * gives who reported it and when.
 */
export function timeoutLedgerEntry(record: S.HitlRequestRecord, msg: S.CaseActionNotification): LedgerEntry {
  const ctx = record.context ?? {};
  return {
    tenantId: record.tenantId,
    requestId: record.requestId,
    sessionId: record.sessionId,
    caseId: msg.case_id,
    docKey: msg.doc_key ?? (typeof ctx.docKey === 'string' && ctx.docKey !== '' ? ctx.docKey : null),
    actionType: 'TIMEOUT',
    statusCode: 'HOLD',
    executorId: msg.executor_id,
    reason: null,
    at: Math.floor(Date.parse(msg.timestamp) / 1000),
  };
}
