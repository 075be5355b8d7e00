import type { IncomingHttpHeaders } from 'node:http';
import { LRUCache } from 'lru-cache';
import type { JwtClaims } from '../../generated/schemas';
import { requireTenant } from '../shared/auth/authenticate';
import { verifyToken } from '../shared/auth/jwt';
import { ApiError } from '../shared/errors';
import { unixSeconds } from '../shared/time';
import { H } from './headers';

export interface Principal {
  tenantId: string;
  userId: string;
  role?: string;
}

export interface AuthFilterOptions {
  secret: string;
  /** Verified tokens remembered (bounded); 0 disables the cache. */
  cacheSize?: number;
  /** Upper bound on how long a verified token is remembered, whatever its `exp`. */
  cacheTtlMs?: number;
  now?: () => number;
}

const BEARER = /^Bearer ([A-Za-z0-9._~+/=-]+)$/i;

/**
 * The header/JWT contract at the gateway: X-Tenant-ID present (400 E2006), a valid HS256
 * bearer token, token tenant = X-Tenant-ID (403 E2007), X-User-ID absent or = sub (403 E2001).
 * Same rules as the services' `authenticate`; here verified tokens are cached because the
 * signature check dominates a proxied request's CPU. Only successes are cached, keyed by the
 * whole token, and never past `exp`.
 */
export function createAuthFilter(opts: AuthFilterOptions) {
  const now = opts.now ?? (() => Date.now());
  const size = opts.cacheSize ?? 10_000;
  const maxTtl = opts.cacheTtlMs ?? 60_000;
  const cache = size > 0 ? new LRUCache<string, JwtClaims>({ max: size }) : null;
  // Cache hits and misses, for tests and metrics.
  const stats = { hits: 0, misses: 0 };

  function claimsOf(token: string): JwtClaims {
    const cached = cache?.get(token);
    if (cached) {
      if (cached.exp > unixSeconds(new Date(now()))) {
        stats.hits++;
        return cached;
      }
      cache?.delete(token);
    }
    stats.misses++;
    const claims = verifyToken(opts.secret, token);
    const ttl = Math.min(maxTtl, claims.exp * 1000 - now());
    if (cache && ttl > 0) cache.set(token, claims, { ttl });
    return claims;
  }

  return {
    stats,
    authenticate(headers: IncomingHttpHeaders): Principal {
      const tenantId = requireTenant(headers);
      const authz = headers[H.authorization] as string | undefined;
      if (!authz) throw new ApiError('E2000');
      const m = BEARER.exec(authz.trim());
      if (!m) throw new ApiError('E2003', 'Authorization must be "Bearer <JWT>"');
      const claims = claimsOf(m[1]);
      if (claims.tenant_id !== tenantId) throw new ApiError('E2007');
      const userHeader = headers[H.user];
      if (userHeader !== undefined && userHeader !== claims.sub) throw new ApiError('E2001');
      const p: Principal = { tenantId, userId: claims.sub };
      if (claims.role) p.role = claims.role;
      return p;
    },
  };
}

export type AuthFilter = ReturnType<typeof createAuthFilter>;
