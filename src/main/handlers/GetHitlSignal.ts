import type { GetHitlSignalInput, GetHitlSignalOutput } from '../../../generated/server/operations';
import { ApiError } from '../../shared/errors';
import type { RequestContext } from '../../shared/http/service-app';

// Answers 501 in the error envelope until the service issue implements it.
export async function GetHitlSignal(_input: GetHitlSignalInput, _ctx: RequestContext): Promise<GetHitlSignalOutput> {
  throw ApiError.notImplemented('GetHitlSignal');
}
