import jwt from 'jsonwebtoken';
import { signToken, verifyToken } from './jwt';
import { ApiError } from '../errors';

const secret = 'x'.repeat(40);

function codeOf(fn: () => unknown): string | undefined {
  try {
    fn();
  } catch (e) {
    return e instanceof ApiError ? e.code : `not an ApiError: ${String(e)}`;
  }
  return undefined;
}

test('a signed token verifies and carries unix-second iat/exp', () => {
  const token = signToken(secret, { sub: 'approver', tenantId: 'acme', role: 'APPROVER', ttlSeconds: 60 });
  const claims = verifyToken(secret, token);
  expect(claims).toMatchObject({ sub: 'approver', tenant_id: 'acme', role: 'APPROVER' });
  expect(claims.exp - claims.iat).toBe(60);
  expect(claims.iat).toBeLessThan(10_000_000_000);
  expect(jwt.decode(token, { complete: true })?.header.alg).toBe('HS256');
});

test('alg none is rejected', () => {
  const none = jwt.sign({ sub: 'u', tenant_id: 'acme', iat: 1795000000, exp: 9999999999 }, '', { algorithm: 'none' });
  expect(codeOf(() => verifyToken(secret, none))).toBe('E2003');
});

test('another secret is rejected', () => {
  const token = signToken('y'.repeat(40), { sub: 'u', tenantId: 'acme', ttlSeconds: 60 });
  expect(codeOf(() => verifyToken(secret, token))).toBe('E2003');
});

test('another HMAC algorithm with the same secret is rejected', () => {
  const token = jwt.sign({ sub: 'u', tenant_id: 'acme' }, secret, { algorithm: 'HS512' });
  expect(codeOf(() => verifyToken(secret, token))).toBe('E2003');
});

test('an expired token is E2002', () => {
  const token = signToken(secret, { sub: 'u', tenantId: 'acme', ttlSeconds: 60, now: new Date(Date.now() - 3600_000) });
  expect(codeOf(() => verifyToken(secret, token))).toBe('E2002');
});

test('claims in milliseconds or with a numeric tenant are rejected', () => {
  const ms = jwt.sign({ sub: 'u', tenant_id: 'acme', iat: Date.now(), exp: Date.now() + 60_000 }, secret, { algorithm: 'HS256' });
  expect((jwt.decode(ms) as { iat: number }).iat).toBeGreaterThan(10_000_000_000);
  expect(codeOf(() => verifyToken(secret, ms))).toBe('E2003');
  const numericTenant = jwt.sign({ sub: 'u', tenant_id: 1 }, secret, { algorithm: 'HS256', expiresIn: 60 });
  expect(codeOf(() => verifyToken(secret, numericTenant))).toBe('E2003');
});

test('garbage is E2003', () => {
  expect(codeOf(() => verifyToken(secret, 'not.a.jwt'))).toBe('E2003');
});
