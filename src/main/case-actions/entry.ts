import type * as S from '../../../generated/schemas';
import type { ActionStatusCode, ActionType } from '../../shared/db/schema';

export type DecisionStatus = 'approved' | 'rejected';

/** A person's answer to a HITL request: what the case-action ledger records as APPROVE or REJECT. */
export interface Decision {
  status: DecisionStatus;
  deciderId: string;
  /** Unix seconds. */
  at: number;
  reason?: string;
}

/** One case action as the ledger records it (history row, document and case status). */
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

// Pure factories: the contract tests call the same functions production records with.

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
