import type { ApproveHitlInput, ApproveHitlOutput } from '../../../generated/server/operations';
import { ApiError } from '../../shared/errors';
import type { RequestContext } from '../../shared/http/service-app';

// Answers 501 in the error envelope until the service issue implements it.
export async function ApproveHitl(_input: ApproveHitlInput, _ctx: RequestContext): Promise<ApproveHitlOutput> {
  throw ApiError.notImplemented('ApproveHitl');
}
