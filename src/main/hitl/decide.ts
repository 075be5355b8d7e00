import type * as S from '../../../generated/schemas';
import { ApiError } from '../../shared/errors';
import type { Logger } from '../../shared/logger';
import { unixSeconds } from '../../shared/time';
import { type Decision, type DecisionStatus, ledgerEntry } from '../case-actions/entry';
import type { DecisionLedger, LedgerResult } from '../case-actions/ledger';
import { decidedRecord, storedDecision } from './messages';
import { checkFourEyes, type TenantPolicy } from './four-eyes';
import type { HitlStore, StoredRequest } from './store';

export interface DecideCommand {
  requestId: string;
  tenantId: string;
  /** The JWT's `sub`. */
  deciderId: string;
  status: DecisionStatus;
  reason?: string;
}

export interface DecideOutcome {
  record: S.HitlRequestRecord;
  decision: Decision;
  /** True when this call made the decision; false for an idempotent retry of it. */
  decidedNow: boolean;
  /** Subscribers that received the signal (0 for a retry: it is not published twice). */
  receivers: number;
  ledger: LedgerResult;
}

export interface DecideDeps {
  store: HitlStore;
  ledger: DecisionLedger;
  policy: TenantPolicy;
  log: Logger;
  now?: () => number;
}

/** A dependency failed: nothing or only the Redis half happened; the same call can be retried. */
function unavailable(what: string): ApiError {
  return new ApiError('E1000', `${what} is unavailable; retry the same call`, null, 503);
}

async function redisStep<T>(deps: DecideDeps, fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (err) {
    if (err instanceof ApiError) throw err;
    if ((err as Error).name === 'ContractViolationError') {
      deps.log.error({ err }, 'HITL record in Redis does not match the contract');
      throw new ApiError('E1000', 'The HITL record is corrupt');
    }
    deps.log.warn({ err: (err as Error).message }, 'HITL decision: Redis step failed');
    throw unavailable('Redis');
  }
}

/**
 * Decides a HITL request: Redis first (atomic compare-and-set, signal, publish: the decision
 * itself), then the database (history row, document and case status). If the database step
 * fails the caller gets 503 and retries; the retry finds the request decided by this same
 * decision, publishes nothing again, completes the database step and answers 200. Any other
 * call — a different decision, or a repeat once the decision is recorded — gets 409 E3006 with
 * the stored record, so one decision is answered 200 exactly once.
 */
export async function decideHitl(deps: DecideDeps, cmd: DecideCommand): Promise<DecideOutcome> {
  const now = deps.now ?? (() => unixSeconds());
  let current: StoredRequest | null = await redisStep(deps, () => deps.store.readRequest(cmd.requestId));
  let fourEyes: boolean | undefined;
  // The loop only repeats when another writer changed the record between read and commit.
  for (let attempt = 0; attempt < 5; attempt++) {
    // Another tenant's request is answered like a missing one: ids are not confirmed across tenants.
    if (!current || current.record.tenantId !== cmd.tenantId) throw new ApiError('E1004', 'HITL request not found');
    const { record } = current;
    fourEyes ??= await policyStep(deps, cmd.tenantId);
    checkFourEyes(record, cmd.deciderId, fourEyes);
    if (record.status !== 'pending') {
      const stored = storedDecision(record);
      const same = stored && stored.status === cmd.status && stored.deciderId === cmd.deciderId && (cmd.status === 'approved' || (stored.reason ?? '') === (cmd.reason ?? ''));
      if (!stored || !same) throw new ApiError('E3006', `HITL request is already ${record.status}`, record);
      const ledger = await ledgerStep(deps, record, stored);
      // A repeat that finds the decision already recorded is a duplicate, not a success: only the
      // call that completes the database step answers 200, so concurrent repeats of one decision
      // still give exactly one 200. A retry after a 503 is the one that completes it.
      if (!ledger.inserted) throw new ApiError('E3006', `HITL request is already ${record.status}`, record);
      return { record, decision: stored, decidedNow: false, receivers: 0, ledger };
    }
    const decision: Decision = { status: cmd.status, deciderId: cmd.deciderId, at: now() };
    if (cmd.reason !== undefined) decision.reason = cmd.reason;
    const expected = current;
    const result = await redisStep(deps, () => deps.store.commitDecision(expected, decision));
    if (!result.committed) {
      current = result.current;
      continue;
    }
    const decided = decidedRecord(record, decision);
    const ledger = await ledgerStep(deps, decided, decision);
    // A concurrent repeat of this same decision recorded it first and answered 200 already.
    if (!ledger.inserted) throw new ApiError('E3006', `HITL request is already ${decided.status}`, decided);
    return { record: decided, decision, decidedNow: true, receivers: result.receivers, ledger };
  }
  throw unavailable('The HITL request is changing too often');
}

async function policyStep(deps: DecideDeps, tenantId: string): Promise<boolean> {
  try {
    return await deps.policy.fourEyes(tenantId);
  } catch (err) {
    deps.log.warn({ err: (err as Error).message }, 'HITL decision: tenant policy unavailable');
    throw unavailable('The database');
  }
}

async function ledgerStep(deps: DecideDeps, record: S.HitlRequestRecord, d: Decision): Promise<LedgerResult> {
  try {
    return await deps.ledger.record(ledgerEntry(record, d));
  } catch (err) {
    deps.log.error({ err: (err as Error).message, requestId: record.requestId }, 'HITL decision made in Redis but not recorded in the database');
    throw unavailable('The database');
  }
}
