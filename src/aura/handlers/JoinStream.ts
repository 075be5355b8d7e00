import type { JoinStreamInput } from '../../../generated/server/operations';
import { ApiError } from '../../shared/errors';
import type { RequestContext } from '../../shared/http/service-app';

// Answers 501 in the error envelope until the service issue implements it.
export async function JoinStream(_input: JoinStreamInput, _ctx: RequestContext): Promise<void> {
  throw ApiError.notImplemented('JoinStream');
}
