// Tokens and auth headers for every suite: one signature, `(sub, tenantId, opts)`.
import { HEADERS } from '../../generated/contract';
import { signToken } from '../../src/shared/auth/jwt';

/** The signing secret the suites start their services with (and `token` signs with by default). */
export const JWT_SECRET = 'test-secret-that-is-at-least-32-bytes-long!!';

export interface TokenOptions {
  /** The role claim; defaults to APPROVER (deciding HITL requests needs it), `null` leaves it out. */
  role?: string | null;
  /** Lifetime from `now`; 600 unless given (negative: already expired). */
  ttlSeconds?: number;
  /** When the token is issued (default: now). */
  now?: Date;
  /** Defaults to JWT_SECRET. */
  secret?: string;
}

/** A token as login issues it, for `sub` of `tenantId`. */
export function token(sub: string, tenantId: string, opts: TokenOptions = {}): string {
  const role = opts.role === null ? undefined : (opts.role ?? 'APPROVER');
  return signToken(opts.secret ?? JWT_SECRET, { sub, tenantId, role, ttlSeconds: opts.ttlSeconds ?? 600, now: opts.now });
}

/** The two headers every authenticated call carries: a bearer `token(sub, tenantId, opts)` and the tenant. */
export function authHeaders(sub: string, tenantId: string, opts: TokenOptions = {}): Record<string, string> {
  return { [HEADERS.TENANT_ID.toLowerCase()]: tenantId, [HEADERS.AUTHORIZATION.toLowerCase()]: `Bearer ${token(sub, tenantId, opts)}` };
}

/** An unsigned token (alg none) with otherwise valid claims. */
export function noneToken(sub: string, tenantId: string): string {
  const b64 = (o: object) => Buffer.from(JSON.stringify(o)).toString('base64url');
  const now = Math.floor(Date.now() / 1000);
  return `${b64({ alg: 'none', typ: 'JWT' })}.${b64({ sub, tenant_id: tenantId, iat: now, exp: now + 600 })}.`;
}
