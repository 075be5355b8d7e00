import type { CreateAnalysisRunInput, CreateAnalysisRunOutput } from '../../../generated/server/operations';
import { ApiError } from '../../shared/errors';
import { caller, type RequestContext } from '../../shared/http/service-app';
import type { AnalysisRunner } from '../analysis/analysis-runner';

export function makeCreateAnalysisRun(deps: { analysis: Pick<AnalysisRunner, 'create'> }) {
  return async function CreateAnalysisRun(input: CreateAnalysisRunInput, ctx: RequestContext): Promise<CreateAnalysisRunOutput> {
    const { caseId } = input.params;
    if (input.body.caseId !== undefined && input.body.caseId !== caseId) {
      throw ApiError.validation([{ field: 'body.caseId', message: `must equal the path's caseId ${caseId}`, keyword: 'const' }]);
    }
    const run = await deps.analysis.create(caller(ctx).tenantId, caseId, input.body);
    return {
      status: 202,
      body: { status: 'ACCEPTED', caseId: run.caseId, runId: run.runId, streamUrl: run.streamUrl!, message: `Analysis run ${run.status === 'ACCEPTED' ? 'accepted' : run.status.toLowerCase()}` },
    };
  };
}
