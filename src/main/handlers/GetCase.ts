import type { GetCaseInput, GetCaseOutput } from '../../../generated/server/operations';
import { ApiError } from '../../shared/errors';
import type { RequestContext } from '../../shared/http/service-app';

// Answers 501 in the error envelope until the service issue implements it.
export async function GetCase(_input: GetCaseInput, _ctx: RequestContext): Promise<GetCaseOutput> {
  throw ApiError.notImplemented('GetCase');
}
