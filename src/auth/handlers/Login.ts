import type { LoginInput, LoginOutput } from '../../../generated/server/operations';
import { ApiError } from '../../shared/errors';
import type { RequestContext } from '../../shared/http/service-app';

// Answers 501 in the error envelope until the service issue implements it.
export async function Login(_input: LoginInput, _ctx: RequestContext): Promise<LoginOutput> {
  throw ApiError.notImplemented('Login');
}
