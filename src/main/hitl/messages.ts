import type { HitlChannelMessage } from '../../../generated/redis';
import type * as S from '../../../generated/schemas';
import type { Decision } from '../case-actions/entry';

// A decision is what the case-action ledger records; re-exported for the HITL code that stores it.
export type { Decision, DecisionStatus } from '../case-actions/entry';

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
