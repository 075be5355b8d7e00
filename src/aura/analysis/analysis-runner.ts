import type * as S from '../../../generated/schemas';
import { operations, type StreamAnalysisRunEvents } from '../../../generated/server/operations';
import { ApiError } from '../../shared/errors';
import type { Logger } from '../../shared/logger';
import { unixSeconds } from '../../shared/time';
import { aiDetectNotification } from '../notifications/messages';
import type { NotificationPublisher } from '../notifications/publisher';
import type { RagStore } from '../rag/rag-store';
import { lineTarget } from './target';
import { Aborted, DrivenRuns } from '../runs/driven-runs';
import type { AnalysisRuns, Fence, RunLeases, StreamLog } from '../ports';
import type { Sweepable } from '../runs/sweeper';
import { LogEmitter } from '../streams/emitter';
import { DONE_ENTRY } from '../streams/stream-log';
import { analyse } from './analyse';

export interface AnalysisRunnerDeps {
  log: StreamLog;
  runs: AnalysisRuns;
  leases: RunLeases;
  rag: RagStore;
  notifications: NotificationPublisher;
  logger: Logger;
}

export function analysisStreamUrl(runId: string): string {
  return `/api/aura/analysis-runs/${runId}/stream`;
}

type Emitter = LogEmitter<StreamAnalysisRunEvents>;

/**
 * Analysis runs: idempotent per runId, state and request in Redis, every event through the
 * run's stream log, driven under a lease like agent runs. A run whose owner dies is re-driven
 * by any instance's sweeper: the engine is deterministic, so it runs again from the start and
 * the events the log already has are skipped (never written twice).
 */
export class AnalysisRunner implements Sweepable {
  private readonly runs: DrivenRuns;

  constructor(private readonly d: AnalysisRunnerDeps) {
    this.runs = new DrivenRuns({
      leases: d.leases,
      logger: d.logger,
      kind: 'analysis run',
      // Deterministic engine: an adopted run is driven again from its stored request.
      continueRun: (runId, signal, fence) => this.drive(runId, signal, fence),
      onFailure: async (runId, err) => {
        this.d.logger.error({ err, runId }, 'analysis run could not record its outcome; a sweeper retries');
        return false;
      },
    });
  }

  async create(tenantId: string, caseId: string, req: S.AnalysisRunRequest): Promise<S.AnalysisRunStatus> {
    const now = unixSeconds();
    // Lease (and live-index entry) before the run exists: if this process dies right after,
    // the sweeper finds either no run (drops the entry) or a run it can re-drive.
    const claim = await this.runs.acquire(req.runId);
    const { created, run } = await this.d.runs.createOnce(
      { runId: req.runId, caseId, tenantId, status: 'ACCEPTED', createdAt: now, updatedAt: now, streamUrl: analysisStreamUrl(req.runId) },
      { runId: req.runId, tenantId, caseId, request: req },
    );
    // Holding the lease of an existing run means nobody drives it: finish it (or see it is finished).
    if (claim) this.runs.drive(req.runId, claim, (signal, fence) => this.drive(req.runId, signal, fence));
    // The same runId is the same run — but only for the same tenant and case.
    if (!created && (run.tenantId !== tenantId || run.caseId !== caseId)) throw new ApiError('E3006', `Run ${req.runId} belongs to another case`, null);
    return run;
  }

  /** The sweeper's entry: re-drive analysis runs whose owner stopped renewing. */
  adoptLapsed(): Promise<void> {
    return this.runs.adoptLapsed();
  }

  close(): Promise<void> {
    return this.runs.close();
  }

  /** Brings the run to its end from whatever state Redis holds (fresh, half-logged, or done). */
  private async drive(runId: string, signal: AbortSignal, fence: Fence): Promise<void> {
    const [run, job] = await Promise.all([this.d.runs.get(runId), this.d.runs.job(runId)]);
    if (!run) return; // never created (or expired): nothing to do
    const logged = (await this.d.log.range(runId, 0)).map((x) => x.event);
    if (logged.includes(DONE_ENTRY)) return;
    const e = new LogEmitter<StreamAnalysisRunEvents>(this.d.log, runId, operations.StreamAnalysisRun.sseEvents, fence, logged);
    if (run.status === 'FAILED' || !job) {
      // A failure already recorded stays a failure; a run without its request (created before
      // requests were stored, or expired) cannot be re-driven: fail it, retryable by a new run.
      const error = run.error ?? { message: 'the run was interrupted and its request is no longer stored', stage: 'takeover' };
      if (run.status !== 'FAILED') await this.d.runs.save({ ...run, status: 'FAILED', updatedAt: unixSeconds(), error });
      await e.emit('failed', { runId, error, retryable: true });
      await e.finish();
      return;
    }
    await this.execute(run, job.request, e, signal);
  }

  private async execute(run: S.AnalysisRunStatus, req: S.AnalysisRunRequest, e: Emitter, signal: AbortSignal): Promise<void> {
    const check = () => {
      if (signal.aborted) throw new Aborted();
    };
    let stage = 'start';
    try {
      if (run.status === 'ACCEPTED') await this.d.runs.save({ ...run, status: 'RUNNING', updatedAt: unixSeconds() });
      await e.emit('started', { runId: run.runId, caseId: run.caseId, at: unixSeconds() });
      stage = 'analysis';
      const target = lineTarget(req);
      const { events, result } = await analyse(req, run.caseId, (q) => this.d.rag.search(run.tenantId, q, 3, target));
      for (const [name, data] of events) {
        check();
        stage = name;
        await e.emit(name, data as never);
      }
      check();
      stage = 'completed';
      await this.d.runs.save({ ...run, status: 'COMPLETED', updatedAt: unixSeconds(), result });
      // The alert goes before `completed` is logged: a re-drive that finds `completed` logged
      // knows the alert went out (at least once; a crash between the two repeats it).
      if (result.severity === 'HIGH' && !e.alreadyHas('completed')) {
        await this.d.notifications.alert(aiDetectNotification(run.tenantId, run.caseId, run.runId, result.score));
      }
      await e.emit('completed', { status: 'COMPLETED', runId: run.runId, caseId: run.caseId, summary: result.summary, score: result.score, severity: result.severity });
    } catch (err) {
      if (err instanceof Aborted) throw err;
      const error = { message: (err as Error).message, stage };
      this.d.logger.error({ err, runId: run.runId }, 'analysis run failed');
      await this.d.runs.save({ ...run, status: 'FAILED', updatedAt: unixSeconds(), error });
      await e.emit('failed', { runId: run.runId, error, retryable: true });
    }
    await e.finish();
  }
}
