import type { GetAnalysisRunInput, GetAnalysisRunOutput } from '../../../generated/server/operations';
import { ApiError } from '../../shared/errors';
import type { RequestContext } from '../../shared/http/service-app';

// Answers 501 in the error envelope until the service issue implements it.
export async function GetAnalysisRun(_input: GetAnalysisRunInput, _ctx: RequestContext): Promise<GetAnalysisRunOutput> {
  throw ApiError.notImplemented('GetAnalysisRun');
}
