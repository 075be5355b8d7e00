import type { CreateAnalysisRunInput, CreateAnalysisRunOutput } from '../../../generated/server/operations';
import { ApiError } from '../../shared/errors';
import type { RequestContext } from '../../shared/http/service-app';

// Answers 501 in the error envelope until the service issue implements it.
export async function CreateAnalysisRun(_input: CreateAnalysisRunInput, _ctx: RequestContext): Promise<CreateAnalysisRunOutput> {
  throw ApiError.notImplemented('CreateAnalysisRun');
}
