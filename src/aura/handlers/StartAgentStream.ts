import type { StartAgentStreamInput } from '../../../generated/server/operations';
import { ApiError } from '../../shared/errors';
import type { RequestContext } from '../../shared/http/service-app';

// Answers 501 in the error envelope until the service issue implements it.
export async function StartAgentStream(_input: StartAgentStreamInput, _ctx: RequestContext): Promise<void> {
  throw ApiError.notImplemented('StartAgentStream');
}
