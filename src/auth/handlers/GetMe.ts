import type { GetMeInput, GetMeOutput } from '../../../generated/server/operations';
import { ApiError } from '../../shared/errors';
import { ok } from '../../shared/envelope';
import { caller, type RequestContext } from '../../shared/http/service-app';
import type { UserDirectory } from '../users';

export function makeGetMe(deps: { users: UserDirectory }) {
  return async function GetMe(_input: GetMeInput, ctx: RequestContext): Promise<GetMeOutput> {
    const auth = caller(ctx);
    // A valid token for a user deleted since it was issued: the token no longer names anyone.
    const user = await deps.users.findById(auth.tenantId, auth.userId);
    if (!user) throw new ApiError('E2003', 'The token names no existing user');
    return {
      status: 200,
      body: ok(
        { userId: user.userId, tenantId: user.tenantId, username: user.username, role: user.role, displayName: user.displayName },
        'OK',
        ctx.traceId,
      ),
    };
  };
}
