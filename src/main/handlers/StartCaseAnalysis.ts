import type { StartCaseAnalysisInput, StartCaseAnalysisOutput } from '../../../generated/server/operations';
import { ApiError } from '../../shared/errors';
import type { RequestContext } from '../../shared/http/service-app';

// Answers 501 in the error envelope until the service issue implements it.
export async function StartCaseAnalysis(_input: StartCaseAnalysisInput, _ctx: RequestContext): Promise<StartCaseAnalysisOutput> {
  throw ApiError.notImplemented('StartCaseAnalysis');
}
