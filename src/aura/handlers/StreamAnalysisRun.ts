import type { StreamAnalysisRunEvents, StreamAnalysisRunInput } from '../../../generated/server/operations';
import { ApiError } from '../../shared/errors';
import { caller, type RequestContext } from '../../shared/http/service-app';
import type { AnalysisRuns, StreamLog } from '../ports';
import { endWithError, resumePosition, serveFromLog } from '../streams/serve';

export function makeStreamAnalysisRun(deps: { analysisRuns: Pick<AnalysisRuns, 'get'>; analysisLog: StreamLog }) {
  return async function StreamAnalysisRun(input: StreamAnalysisRunInput, ctx: RequestContext): Promise<void> {
    const { runId } = input.params;
    const run = await deps.analysisRuns.get(runId);
    if (!run || run.tenantId !== caller(ctx).tenantId) throw new ApiError('E1004', `Analysis run ${runId} not found`);
    const stream = ctx.openStream<StreamAnalysisRunEvents>();
    let afterSeq = 0;
    const lastEventId = input.headers['last-event-id'];
    if (lastEventId !== undefined) {
      const pos = await resumePosition(deps.analysisLog, lastEventId, runId);
      if ('error' in pos) return endWithError(stream, pos.error, pos.errorType);
      afterSeq = pos.afterSeq;
    }
    await serveFromLog(stream, deps.analysisLog, runId, afterSeq, ctx.signal);
  };
}
