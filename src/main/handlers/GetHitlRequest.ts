import type { GetHitlRequestInput, GetHitlRequestOutput } from '../../../generated/server/operations';
import { ApiError } from '../../shared/errors';
import type { RequestContext } from '../../shared/http/service-app';

// Answers 501 in the error envelope until the service issue implements it.
export async function GetHitlRequest(_input: GetHitlRequestInput, _ctx: RequestContext): Promise<GetHitlRequestOutput> {
  throw ApiError.notImplemented('GetHitlRequest');
}
