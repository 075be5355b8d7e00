import { createHmac } from 'node:crypto';
import { signToken } from '../shared/auth/jwt';
import { isApiError } from '../shared/errors';
import { createAuthFilter } from './auth-filter';

const SECRET = 'a'.repeat(40);
const OTHER = 'b'.repeat(40);

function codeOf(fn: () => unknown): string | undefined {
  try {
    fn();
    return undefined;
  } catch (err) {
    return isApiError(err) ? err.code : `not an ApiError: ${String(err)}`;
  }
}

const b64 = (o: unknown) => Buffer.from(JSON.stringify(o)).toString('base64url');

describe('auth filter', () => {
  const token = signToken(SECRET, { sub: 'alice', tenantId: 't1', role: 'approver', ttlSeconds: 600 });
  const hdr = (extra: Record<string, string> = {}) => ({ 'x-tenant-id': 't1', authorization: `Bearer ${token}`, ...extra });

  it('accepts a valid token and yields the principal', () => {
    const f = createAuthFilter({ secret: SECRET });
    expect(f.authenticate(hdr())).toEqual({ tenantId: 't1', userId: 'alice', role: 'approver' });
    expect(f.authenticate(hdr({ 'x-user-id': 'alice' })).userId).toBe('alice');
  });

  it('maps every failure to the contract code', () => {
    const f = createAuthFilter({ secret: SECRET });
    expect(codeOf(() => f.authenticate({ authorization: `Bearer ${token}` }))).toBe('E2006');
    expect(codeOf(() => f.authenticate({ 'x-tenant-id': 't1' }))).toBe('E2000');
    expect(codeOf(() => f.authenticate(hdr({ authorization: `Basic abc` })))).toBe('E2003');
    expect(codeOf(() => f.authenticate(hdr({ 'x-tenant-id': 't2' })))).toBe('E2007');
    expect(codeOf(() => f.authenticate(hdr({ 'x-user-id': 'mallory' })))).toBe('E2001');
    const foreign = signToken(OTHER, { sub: 'alice', tenantId: 't1', ttlSeconds: 600 });
    expect(codeOf(() => f.authenticate(hdr({ authorization: `Bearer ${foreign}` })))).toBe('E2003');
    const expired = signToken(SECRET, { sub: 'alice', tenantId: 't1', ttlSeconds: 60, now: new Date(Date.now() - 3600_000) });
    expect(codeOf(() => f.authenticate(hdr({ authorization: `Bearer ${expired}` })))).toBe('E2002');
  });

  it('refuses alg none and HS512 even with a valid-looking payload', () => {
    const f = createAuthFilter({ secret: SECRET });
    const now = Math.floor(Date.now() / 1000);
    const payload = b64({ sub: 'alice', tenant_id: 't1', iat: now, exp: now + 600 });
    const none = `${b64({ alg: 'none', typ: 'JWT' })}.${payload}.`;
    expect(codeOf(() => f.authenticate(hdr({ authorization: `Bearer ${none}` })))).toBe('E2003');
    const head = b64({ alg: 'HS512', typ: 'JWT' });
    const sig = createHmac('sha512', SECRET).update(`${head}.${payload}`).digest('base64url');
    expect(codeOf(() => f.authenticate(hdr({ authorization: `Bearer ${head}.${payload}.${sig}` })))).toBe('E2003');
  });

  it('caches verified tokens but still checks tenant and user on each hit', () => {
    const f = createAuthFilter({ secret: SECRET });
    f.authenticate(hdr());
    f.authenticate(hdr());
    expect(f.stats).toEqual({ hits: 1, misses: 1 });
    expect(codeOf(() => f.authenticate(hdr({ 'x-tenant-id': 't2' })))).toBe('E2007');
    expect(codeOf(() => f.authenticate(hdr({ 'x-user-id': 'bob' })))).toBe('E2001');
  });

  it('never serves a cached token past its exp', () => {
    let clock = Date.now();
    const f = createAuthFilter({ secret: SECRET, now: () => clock, cacheTtlMs: 3600_000 });
    const short = signToken(SECRET, { sub: 'alice', tenantId: 't1', ttlSeconds: 60 });
    f.authenticate(hdr({ authorization: `Bearer ${short}` }));
    clock += 61_000;
    // Past exp by the filter's clock: the cached claims are dropped and the token is verified
    // again (jsonwebtoken reads the real clock, so that second check passes here).
    f.authenticate(hdr({ authorization: `Bearer ${short}` }));
    expect(f.stats).toEqual({ hits: 0, misses: 2 });
  });

  it('does not cache failures', () => {
    const f = createAuthFilter({ secret: SECRET });
    const foreign = signToken(OTHER, { sub: 'alice', tenantId: 't1', ttlSeconds: 600 });
    codeOf(() => f.authenticate(hdr({ authorization: `Bearer ${foreign}` })));
    codeOf(() => f.authenticate(hdr({ authorization: `Bearer ${foreign}` })));
    expect(f.stats).toEqual({ hits: 0, misses: 2 });
  });
});
