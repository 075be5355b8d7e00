import type { GetMeInput, GetMeOutput } from '../../../generated/server/operations';
import { ApiError } from '../../shared/errors';
import type { RequestContext } from '../../shared/http/service-app';

// Answers 501 in the error envelope until the service issue implements it.
export async function GetMe(_input: GetMeInput, _ctx: RequestContext): Promise<GetMeOutput> {
  throw ApiError.notImplemented('GetMe');
}
