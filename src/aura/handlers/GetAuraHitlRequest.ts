import type { GetAuraHitlRequestInput, GetAuraHitlRequestOutput } from '../../../generated/server/operations';
import { ApiError } from '../../shared/errors';
import type { RequestContext } from '../../shared/http/service-app';

// Answers 501 in the error envelope until the service issue implements it.
export async function GetAuraHitlRequest(_input: GetAuraHitlRequestInput, _ctx: RequestContext): Promise<GetAuraHitlRequestOutput> {
  throw ApiError.notImplemented('GetAuraHitlRequest');
}
