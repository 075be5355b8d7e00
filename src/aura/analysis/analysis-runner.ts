import type * as S from '../../../generated/schemas';
import { operations, type StreamAnalysisRunEvents } from '../../../generated/server/operations';
import { ApiError } from '../../shared/errors';
import type { Logger } from '../../shared/logger';
import { unixSeconds } from '../../shared/time';
import { aiDetectNotification } from '../notifications/messages';
import type { NotificationPublisher } from '../notifications/publisher';
import type { RagStore } from '../rag/rag-store';
import { LogEmitter } from '../streams/emitter';
import type { StreamLog } from '../streams/stream-log';
import { analyse } from './analyse';
import type { AnalysisRunStore } from './run-store';

export interface AnalysisRunnerDeps {
  log: StreamLog;
  runs: AnalysisRunStore;
  rag: RagStore;
  notifications: NotificationPublisher;
  logger: Logger;
}

export function analysisStreamUrl(runId: string): string {
  return `/api/aura/analysis-runs/${runId}/stream`;
}

/** Analysis runs: idempotent per runId, state in Redis, every event through the run's stream log. */
export class AnalysisRunner {
  constructor(private readonly d: AnalysisRunnerDeps) {}

  async create(tenantId: string, caseId: string, req: S.AnalysisRunRequest): Promise<S.AnalysisRunStatus> {
    const now = unixSeconds();
    const { created, run } = await this.d.runs.createOnce({
      runId: req.runId,
      caseId,
      tenantId,
      status: 'ACCEPTED',
      createdAt: now,
      updatedAt: now,
      streamUrl: analysisStreamUrl(req.runId),
    });
    if (!created) {
      // The same runId is the same run — but only for the same tenant and case.
      if (run.tenantId !== tenantId || run.caseId !== caseId) throw new ApiError('E3006', `Run ${req.runId} belongs to another case`, null);
      return run;
    }
    setImmediate(() => {
      this.execute(run, req).catch((err) => this.d.logger.error({ err, runId: run.runId }, 'analysis run failed to record its failure'));
    });
    return run;
  }

  private async execute(run: S.AnalysisRunStatus, req: S.AnalysisRunRequest): Promise<void> {
    const e = new LogEmitter<StreamAnalysisRunEvents>(this.d.log, run.runId, operations.StreamAnalysisRun.sseEvents);
    let stage = 'start';
    try {
      await this.d.runs.save({ ...run, status: 'RUNNING', updatedAt: unixSeconds() });
      await e.emit('started', { runId: run.runId, caseId: run.caseId, at: unixSeconds() });
      stage = 'analysis';
      const { events, result } = await analyse(req, run.caseId, (q) => this.d.rag.search(run.tenantId, q));
      for (const [name, data] of events) {
        stage = name;
        await e.emit(name, data as never);
      }
      stage = 'completed';
      await this.d.runs.save({ ...run, status: 'COMPLETED', updatedAt: unixSeconds(), result });
      await e.emit('completed', { status: 'COMPLETED', runId: run.runId, caseId: run.caseId, summary: result.summary, score: result.score, severity: result.severity });
      if (result.severity === 'HIGH') await this.d.notifications.alert(aiDetectNotification(run.tenantId, run.caseId, run.runId, result.score));
    } catch (err) {
      const error = { message: (err as Error).message, stage };
      this.d.logger.error({ err, runId: run.runId }, 'analysis run failed');
      await this.d.runs.save({ ...run, status: 'FAILED', updatedAt: unixSeconds(), error });
      await e.emit('failed', { runId: run.runId, error, retryable: true });
    } finally {
      await e.finish();
    }
  }
}
