import type { ServiceApp } from '../../src/shared/http/service-app';
import jwt from 'jsonwebtoken';
import { HEADERS } from '../../generated/contract';
import * as V from '../../generated/validators/schemas';
import { createApp } from '../../src/auth/app';
import { openDatabase, type Database } from '../../src/shared/db/database';
import { DEMO_USERS, seedDemo } from '../../src/shared/db/seed';
import { createTestDatabase, type TestDatabase } from '../support/pg';
import { JWT_SECRET, noneToken, token } from '../support/auth';
import { expectError, http } from '../support/http';
import { listen } from '../support/listen';
import { silentLogger } from '../main/support';

const TTL = 900;
let tdb: TestDatabase;
let database: Database;
let app: ServiceApp;
let base: string;
const approver = DEMO_USERS.find((u) => u.username === 'approver')!;

beforeAll(async () => {
  tdb = await createTestDatabase();
  database = await openDatabase({ databaseUrl: tdb.url });
  await seedDemo(database.db);
  app = createApp({
    config: { host: '127.0.0.1', port: 0, jwtSecret: JWT_SECRET, tokenTtlSeconds: TTL, pgliteDir: '', responseValidation: 1 },
    logger: silentLogger,
    db: database.db,
    dbKind: database.kind,
  });
  base = await listen(app);
});
afterAll(async () => {
  await app?.close();
  await database?.close();
  await tdb?.drop();
});

const login = (body: unknown) => http('POST', `${base}/auth/login`, { body });

describe('POST /auth/login', () => {
  it('issues an HS256 JWT with sub, tenant_id, role, iat and exp in unix seconds', async () => {
    const before = Math.floor(Date.now() / 1000);
    const r = await login({ username: 'approver', password: approver.password, tenantId: 'acme' });
    expect(r.status).toBe(200);
    expect(V.LoginResponse(r.body)).toBe(true);
    const data = r.body.data;
    expect(data).toMatchObject({ tokenType: 'Bearer', expiresIn: TTL, userId: approver.userId, tenantId: 'acme', role: 'APPROVER' });
    const decoded = jwt.decode(data.accessToken, { complete: true })!;
    expect(decoded.header.alg).toBe('HS256');
    const claims = jwt.verify(data.accessToken, JWT_SECRET, { algorithms: ['HS256'] }) as Record<string, unknown>;
    expect(V.JwtClaims(claims)).toBe(true);
    expect(claims).toMatchObject({ sub: approver.userId, tenant_id: 'acme', role: 'APPROVER' });
    expect(claims.iat).toBeGreaterThanOrEqual(before);
    expect(claims.iat).toBeLessThan(9_999_999_999);
    expect((claims.exp as number) - (claims.iat as number)).toBe(TTL);
  });

  it('answers wrong password, unknown user and unknown tenant with the same 401 E2004', async () => {
    const answers = await Promise.all([
      login({ username: 'approver', password: 'wrong-pass', tenantId: 'acme' }),
      login({ username: 'nobody', password: approver.password, tenantId: 'acme' }),
      login({ username: 'approver', password: approver.password, tenantId: 'no-such-tenant' }),
    ]);
    for (const r of answers) expectError(r, 401, 'E2004');
    const strip = (j: Record<string, unknown>) => ({ ...j, timestamp: undefined, traceId: undefined });
    expect(strip(answers[1]!.body)).toEqual(strip(answers[0]!.body));
    expect(strip(answers[2]!.body)).toEqual(strip(answers[0]!.body));
  });

  it('a NUL in the username or password is bad input, not a database error (it answered 500)', async () => {
    expectError(await login({ username: 'appr\u0000over', password: 'x', tenantId: 'acme' }), 400, 'E4000');
    expectError(await login({ username: 'approver', password: 'pass\u0000word', tenantId: 'acme' }), 400, 'E4000');
  });

  it('rejects malformed and hostile bodies with the envelope', async () => {
    expectError(await http('POST', `${base}/auth/login`, { raw: '{"username": "approver",' }), 400, 'E1001');
    const missing = await login({ username: 'approver', tenantId: 'acme' });
    expectError(missing, 400, 'E4000');
    expect(missing.body.data.errors).toEqual(expect.arrayContaining([expect.objectContaining({ field: expect.stringContaining('password') })]));
    expectError(await login({ username: 'approver', password: 'x', tenantId: 'acme', admin: true }), 400, 'E4000');
    expectError(await login({ username: 42, password: 'x', tenantId: 'acme' }), 400, 'E4000');
    expectError(await login({ username: 'approver', password: 'x', tenantId: 'ac me*' }), 400, 'E4000');
    expectError(await http('POST', `${base}/auth/login`, { raw: '{"__proto__": {"x": 1}}' }), 400, 'E1001');
    expectError(await http('POST', `${base}/auth/login`, { raw: JSON.stringify({ username: 'a'.repeat(2 * 1024 * 1024) }) }), 413, 'E1001');
    expectError(await http('POST', `${base}/auth/login`, { raw: 'username=a', headers: { 'content-type': 'text/plain' } }), 415, 'E1001');
  });
});

describe('GET /auth/me', () => {
  const me = (headers: Record<string, string>) => http('GET', `${base}/auth/me`, { headers });
  const bearer = (t: string) => ({ [HEADERS.AUTHORIZATION]: `Bearer ${t}`, [HEADERS.TENANT_ID]: 'acme' });

  it('returns the caller from a token issued by login', async () => {
    const r = await login({ username: 'approver', password: approver.password, tenantId: 'acme' });
    const res = await me(bearer(r.body.data.accessToken));
    expect(res.status).toBe(200);
    expect(V.MeResponse(res.body)).toBe(true);
    expect(res.body.data).toEqual({ userId: approver.userId, tenantId: 'acme', username: 'approver', role: 'APPROVER', displayName: approver.displayName, fourEyes: true, canDecide: true });
  });

  it('says what the user may do: a requester may not decide, and the tenant\'s four-eyes setting', async () => {
    const requester = DEMO_USERS.find((u) => u.role === 'REQUESTER')!;
    const r = await login({ username: requester.username, password: requester.password, tenantId: 'acme' });
    const res = await me(bearer(r.body.data.accessToken));
    expect(V.MeResponse(res.body)).toBe(true);
    expect(res.body.data).toMatchObject({ role: 'REQUESTER', canDecide: false, fourEyes: true });
  });

  it('rejects missing, expired, forged and mismatched credentials with the right code', async () => {
    expectError(await me({ [HEADERS.TENANT_ID]: 'acme' }), 401, 'E2000');
    expectError(await me({ [HEADERS.AUTHORIZATION]: `Bearer ${token(approver.userId, 'acme')}` }), 400, 'E2006');
    expectError(await me(bearer(noneToken(approver.userId, 'acme'))), 401, 'E2003');
    expectError(await me(bearer(token(approver.userId, 'acme', { secret: 'another-secret-another-secret-another!!' }))), 401, 'E2003');
    expectError(await me(bearer(token(approver.userId, 'acme', { ttlSeconds: 60, now: new Date(Date.now() - 3600_000) }))), 401, 'E2002');
    expectError(await me(bearer('not.a.jwt')), 401, 'E2003');
    expectError(await me({ ...bearer(token(approver.userId, 'acme')), [HEADERS.TENANT_ID]: 'other' }), 403, 'E2007');
    expectError(await me({ ...bearer(token(approver.userId, 'acme')), [HEADERS.USER_ID]: 'someone-else' }), 403, 'E2001');
    expectError(await me({ ...bearer(token(approver.userId, 'acme')), [HEADERS.TENANT_ID]: 'ac me' }), 400, 'E4000');
    // a well-signed token for a user that does not exist names nobody
    expectError(await me(bearer(token('ghost', 'acme'))), 401, 'E2003');
  });

  it('answers unknown paths and methods with the envelope', async () => {
    expectError(await http('DELETE', `${base}/auth/me`), 405, 'E1002');
    expectError(await http('GET', `${base}/auth/nothing`), 404, 'E1004');
  });
});
