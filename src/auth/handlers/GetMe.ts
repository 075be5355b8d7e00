import { type GetMeInput, type GetMeOutput, operations } from '../../../generated/server/operations';
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
        {
          userId: user.userId,
          tenantId: user.tenantId,
          username: user.username,
          role: user.role,
          displayName: user.displayName,
          fourEyes: user.fourEyes,
          // The roles ApproveHitl is limited to (openapi.yaml x-roles), so the workbench shows or
          // hides the decision without a copy of the rule.
          canDecide: ((operations.ApproveHitl.roles ?? []) as readonly string[]).includes(user.role),
        },
        'OK',
        ctx.traceId,
      ),
    };
  };
}
