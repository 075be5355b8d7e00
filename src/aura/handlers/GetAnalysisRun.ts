import type { GetAnalysisRunInput, GetAnalysisRunOutput } from '../../../generated/server/operations';
import { ok } from '../../shared/envelope';
import { ApiError } from '../../shared/errors';
import { caller, type RequestContext } from '../../shared/http/service-app';
import type { AnalysisRuns } from '../ports';

export function makeGetAnalysisRun(deps: { analysisRuns: Pick<AnalysisRuns, 'get'> }) {
  return async function GetAnalysisRun(input: GetAnalysisRunInput, ctx: RequestContext): Promise<GetAnalysisRunOutput> {
    const run = await deps.analysisRuns.get(input.params.runId);
    if (!run || run.tenantId !== caller(ctx).tenantId) throw new ApiError('E1004', `Analysis run ${input.params.runId} not found`);
    return { status: 200, body: ok(run, 'OK', ctx.traceId) };
  };
}
