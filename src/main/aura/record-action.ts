import type * as S from '../../../generated/schemas';
import type { Logger } from '../../shared/logger';
import type { MainMetrics } from '../metrics';
import type { LedgerEntry } from '../case-actions/entry';
import { auraClient, isTransient } from './client';

export interface ActionRecorderOptions {
  auraUrl: string;
  jwtSecret: string;
  timeoutMs: number;
  attempts: number;
  backoffMs: number;
  log: Logger;
  metrics: MainMetrics;
}

/** Aura's RecordAction body for a recorded decision (pure; null when the request named no case). */
export function recordActionRequest(e: LedgerEntry): S.RecordActionRequest | null {
  if (!e.caseId) return null;
  const body: S.RecordActionRequest = { case_id: e.caseId, request_id: e.requestId, executor_id: e.executorId, approved: e.statusCode === 'APPROVED' };
  if (e.reason) body.comment = e.reason;
  if (e.docKey) body.doc_key = e.docKey;
  return body;
}

export type ActionRecorder = (entry: LedgerEntry, caller: { tenantId: string }) => Promise<boolean>;

/**
 * Tells Aura about a decision (feedback log + one CASE_ACTION; Aura dedupes by request id, so a
 * repeat is harmless). Bounded retries with exponential backoff; a final failure is logged and
 * counted and never reaches the caller, whose decision is already made and recorded.
 */
export function createActionRecorder(o: ActionRecorderOptions): ActionRecorder {
  return async (entry, caller) => {
    const body = recordActionRequest(entry);
    if (!body) return false;
    const client = auraClient({ baseUrl: o.auraUrl, jwtSecret: o.jwtSecret, tenantId: caller.tenantId, timeoutMs: o.timeoutMs });
    for (let attempt = 1; attempt <= o.attempts; attempt++) {
      try {
        await client.recordAction({ body });
        return true;
      } catch (err) {
        const last = attempt === o.attempts || !isTransient(err);
        if (last) {
          o.metrics.auraRecordFailures.inc();
          o.log.warn({ err: (err as Error).message, requestId: entry.requestId, attempt }, 'Aura RecordAction failed; decision stands');
          return false;
        }
        o.metrics.auraRecordRetries.inc();
        await new Promise((r) => setTimeout(r, o.backoffMs * 2 ** (attempt - 1)));
      }
    }
    return false;
  };
}
