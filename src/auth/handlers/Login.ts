import type { LoginInput, LoginOutput } from '../../../generated/server/operations';
import { signToken } from '../../shared/auth/jwt';
import { ok } from '../../shared/envelope';
import type { RequestContext } from '../../shared/http/service-app';
import { checkCredentials } from '../credentials';
import type { UserDirectory } from '../users';

export interface LoginDeps {
  users: UserDirectory;
  jwtSecret: string;
  tokenTtlSeconds: number;
}

export function makeLogin(deps: LoginDeps) {
  return async function Login(input: LoginInput, ctx: RequestContext): Promise<LoginOutput> {
    const { username, password, tenantId } = input.body;
    const user = await checkCredentials(deps.users, { tenantId, username, password });
    const accessToken = signToken(deps.jwtSecret, {
      sub: user.userId,
      tenantId: user.tenantId,
      role: user.role,
      ttlSeconds: deps.tokenTtlSeconds,
    });
    ctx.log.info({ userId: user.userId, tenantId: user.tenantId }, 'login');
    return {
      status: 200,
      body: ok(
        { accessToken, tokenType: 'Bearer', expiresIn: deps.tokenTtlSeconds, userId: user.userId, tenantId: user.tenantId, role: user.role },
        'Logged in',
        ctx.traceId,
      ),
    };
  };
}
