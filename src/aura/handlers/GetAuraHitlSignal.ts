import type { GetAuraHitlSignalInput, GetAuraHitlSignalOutput } from '../../../generated/server/operations';
import { ApiError } from '../../shared/errors';
import type { RequestContext } from '../../shared/http/service-app';

// Answers 501 in the error envelope until the service issue implements it.
export async function GetAuraHitlSignal(_input: GetAuraHitlSignalInput, _ctx: RequestContext): Promise<GetAuraHitlSignalOutput> {
  throw ApiError.notImplemented('GetAuraHitlSignal');
}
