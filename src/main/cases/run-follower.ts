import type * as S from '../../../generated/schemas';
import type { Logger } from '../../shared/logger';
import { auraClient } from '../aura/client';
import type { MainMetrics } from '../metrics';
import type { CaseRepo } from './repo';

export interface FollowRun {
  runId: string;
  caseId: string;
  tenantId: string;
}

export interface RunFollower {
  follow(run: FollowRun): Promise<void>;
  close(): void;
}

/**
 * Follows an analysis run on Aura's SSE stream (the generated client resumes with Last-Event-ID
 * on a dropped connection) and writes the result's score and severity to the case. If the stream
 * ends without a result, it asks GetAnalysisRun once. Failures are logged and counted.
 */
export function createRunFollower(o: { auraUrl: string; jwtSecret: string; timeoutMs: number; maxRunMs: number; cases: CaseRepo; log: Logger; metrics: MainMetrics }): RunFollower {
  const running = new Set<AbortController>();
  const apply = async (run: FollowRun, r: { score: number; severity: S.Severity }) => {
    const applied = await o.cases.applyRunResult(run.tenantId, run.caseId, run.runId, r.score, r.severity);
    o.log.info({ ...run, score: r.score, severity: r.severity, applied }, 'analysis run result applied to the case');
  };
  return {
    async follow(run) {
      const abort = new AbortController();
      running.add(abort);
      const timer = setTimeout(() => abort.abort(), o.maxRunMs);
      const client = auraClient({ baseUrl: o.auraUrl, jwtSecret: o.jwtSecret, tenantId: run.tenantId, timeoutMs: o.timeoutMs });
      try {
        try {
          for await (const ev of client.streamAnalysisRun({ params: { runId: run.runId } }, { signal: abort.signal })) {
            if (ev.event === 'completed') return await apply(run, ev.data);
            if (ev.event === 'failed') {
              o.log.warn({ runId: run.runId, error: ev.data.error }, 'analysis run failed');
              return;
            }
          }
        } catch (err) {
          if (abort.signal.aborted) throw err;
          o.log.warn({ runId: run.runId, err: (err as Error).message }, 'analysis stream broke; asking for the run status');
        }
        const status = await client.getAnalysisRun({ params: { runId: run.runId } });
        if (status.data.status === 'COMPLETED' && status.data.result) await apply(run, status.data.result);
        else throw new Error(`run ended as ${status.data.status} without a result`);
      } catch (err) {
        o.metrics.runFollowFailures.inc();
        o.log.warn({ runId: run.runId, caseId: run.caseId, err: (err as Error).message }, 'analysis run result not applied');
      } finally {
        clearTimeout(timer);
        running.delete(abort);
      }
    },
    close() {
      for (const a of running) a.abort();
    },
  };
}
