import type { RejectHitlInput, RejectHitlOutput } from '../../../generated/server/operations';
import { ApiError } from '../../shared/errors';
import type { RequestContext } from '../../shared/http/service-app';

// Answers 501 in the error envelope until the service issue implements it.
export async function RejectHitl(_input: RejectHitlInput, _ctx: RequestContext): Promise<RejectHitlOutput> {
  throw ApiError.notImplemented('RejectHitl');
}
