// The credential one service shows another on an internal operation (`x-audience: internal` in
// openapi.yaml). It is a JWT like a user's, signed with the same secret, but its role is one no
// user can hold (login issues roles from the users table: APPROVER, REQUESTER, ADMIN), so a
// user's token is never accepted where a service's is required.
import type { AuthContext } from './authenticate';
import { signToken } from './jwt';

export const SERVICE_ROLE = 'SYSTEM';

/** A short-lived service token for calls made on a tenant's behalf (mint one per call). */
export function serviceToken(secret: string, service: string, tenantId: string, ttlSeconds = 300): string {
  return signToken(secret, { sub: `${service}-service`, tenantId, role: SERVICE_ROLE, ttlSeconds });
}

export function isServiceCaller(auth: AuthContext | null): boolean {
  return auth?.role === SERVICE_ROLE;
}
