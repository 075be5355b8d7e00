import type { IncomingHttpHeaders } from 'node:http';
import { HEADERS } from '../../../generated/contract';
import { ApiError } from '../errors';
import { isIdentifier } from '../ids';
import { verifyToken } from './jwt';

export interface AuthContext {
  userId: string;
  tenantId: string;
  role?: string;
  token: string;
}

const h = (name: string) => name.toLowerCase();

function single(headers: IncomingHttpHeaders, name: string): string | undefined {
  const v = headers[h(name)];
  if (Array.isArray(v)) throw new ApiError('E1001', `Duplicate ${name} header`);
  return v;
}

/** Reads X-Tenant-ID: missing → 400 E2006; not an identifier → 400 E4000. */
export function requireTenant(headers: IncomingHttpHeaders): string {
  const tenant = single(headers, HEADERS.TENANT_ID);
  if (tenant === undefined || tenant === '') throw new ApiError('E2006');
  if (!isIdentifier(tenant)) {
    throw ApiError.validation([{ field: `headers.${h(HEADERS.TENANT_ID)}`, message: 'must be an identifier' }]);
  }
  return tenant;
}

/**
 * The whole header/JWT contract for a protected request: tenant header present, bearer token
 * valid (HS256), token tenant = X-Tenant-ID (403 E2007), X-User-ID absent or = sub (403 E2001).
 * Every service runs it, not only the gateway: nothing trusts that a caller came through it.
 */
export function authenticate(headers: IncomingHttpHeaders, secret: string): AuthContext {
  const tenantId = requireTenant(headers);
  const authz = single(headers, HEADERS.AUTHORIZATION);
  if (!authz) throw new ApiError('E2000');
  const m = /^Bearer ([A-Za-z0-9._~+/=-]+)$/i.exec(authz.trim());
  if (!m) throw new ApiError('E2003', 'Authorization must be "Bearer <JWT>"');
  const claims = verifyToken(secret, m[1]);
  if (claims.tenant_id !== tenantId) throw new ApiError('E2007');
  const userHeader = single(headers, HEADERS.USER_ID);
  if (userHeader !== undefined && userHeader !== claims.sub) throw new ApiError('E2001');
  const ctx: AuthContext = { userId: claims.sub, tenantId, token: m[1] };
  if (claims.role) ctx.role = claims.role;
  return ctx;
}
