import type { ServiceApp } from './service-app';
import jwt from 'jsonwebtoken';
import net from 'node:net';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { auraOperationIds, authOperationIds, operations, type AuthHandlers } from '../../../generated/server/operations';
import { ApiError } from '../errors';
import { ok } from '../envelope';
import { createLogger } from '../logger';
import { createServiceApp, caller, type RequestContext } from './service-app';
import { DEFAULT_OPENAPI_PATH } from './openapi-runtime';
import { token } from '../../../test/support/auth';
import { expectError, http } from '../../../test/support/http';
import { listen } from '../../../test/support/listen';
import { openSse } from '../../../test/support/sse';

const secret = 's'.repeat(40);
const logger = createLogger('test', 'silent');
// The tenant header is acme whatever the token says (a token of another tenant is E2007).
const authz = (t = token('approver', 'acme', { secret, ttlSeconds: 60 })) => ({ authorization: `Bearer ${t}`, 'x-tenant-id': 'acme' });

function authHandlers(overrides: Partial<AuthHandlers<RequestContext>> = {}): AuthHandlers<RequestContext> {
  return {
    Login: async (input) =>
      ({
        status: 200,
        body: ok({ accessToken: 't', tokenType: 'Bearer', expiresIn: 60, userId: input.body.username, tenantId: input.body.tenantId }),
      }) as const,
    GetMe: async (_input, ctx) => ({ status: 200, body: ok({ userId: caller(ctx).userId, tenantId: caller(ctx).tenantId, username: 'x' }) }),
    AuthHealth: async () => ({ status: 200, body: ok({ service: 'auth' as const, status: 'UP' as const, checks: {} }) }),
    ...overrides,
  };
}

describe('createServiceApp (auth operations over real HTTP)', () => {
  let app: ServiceApp;
  let base: string;
  beforeAll(async () => {
    app = createServiceApp({ service: 'auth', handlers: authHandlers(), logger, jwtSecret: secret, bodyLimit: 2048 });
    base = await listen(app);
  });
  afterAll(() => app.close());

  const post = (path: string, body: string, headers: Record<string, string> = {}) =>
    http('POST', base + path, { headers: { 'content-type': 'application/json', ...headers }, raw: body });

  test('a valid request reaches the handler and the answer is the envelope', async () => {
    const res = await post('/auth/login', JSON.stringify({ username: 'u', password: 'p', tenantId: 'acme' }));
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ status: 'SUCCESS', success: true, data: { userId: 'u' } });
    expect(res.headers.get('x-trace-id')).toBeTruthy();
  });

  test('malformed JSON is E1001 in the envelope', async () => {
    expectError(await post('/auth/login', '{"username":'), 400, 'E1001');
  });

  test('prototype-poisoning JSON is refused', async () => {
    expectError(await post('/auth/login', '{"__proto__":{"x":1},"username":"u","password":"p","tenantId":"t"}'), 400, 'E1001');
  });

  test('validation failures are E4000 with every field error', async () => {
    const res = await post('/auth/login', JSON.stringify({ username: 5, extra: true }));
    expectError(res, 400, 'E4000');
    const fields = res.body.data.errors.map((e: { field: string }) => e.field).sort();
    expect(fields).toEqual(['body.extra', 'body.password', 'body.tenantId', 'body.username']);
  });

  test('a missing body is E4000, a wrong content type 415', async () => {
    expectError(await post('/auth/login', ''), 400, 'E4000');
    const res = await http('POST', base + '/auth/login', { headers: { 'content-type': 'text/plain' }, raw: 'x' });
    expectError(res, 415, 'E1001');
  });

  test('a body over the limit is 413', async () => {
    expectError(await post('/auth/login', JSON.stringify({ username: 'u'.repeat(5000), password: 'p', tenantId: 't' })), 413, 'E1001');
  });

  test('unknown paths are 404 E1004, known paths with another method 405 E1002', async () => {
    expectError(await http('GET', base + '/auth/nothing'), 404, 'E1004');
    expectError(await http('GET', base + '/auth/login'), 405, 'E1002');
  });

  test('the header and JWT contract', async () => {
    expectError(await http('GET', base + '/auth/me'), 400, 'E2006');
    expectError(await http('GET', base + '/auth/me', { headers: { 'x-tenant-id': 'acme' } }), 401, 'E2000');
    expectError(await http('GET', base + '/auth/me', { headers: { 'x-tenant-id': 'ac me' } }), 400, 'E4000');
    expectError(await http('GET', base + '/auth/me', { headers: authz('garbage') }), 401, 'E2003');
    const none = jwt.sign({ sub: 'approver', tenant_id: 'acme', iat: 1795000000, exp: 9999999999 }, '', { algorithm: 'none' });
    expectError(await http('GET', base + '/auth/me', { headers: authz(none) }), 401, 'E2003');
    const forged = token('approver', 'acme', { secret: 'f'.repeat(40), ttlSeconds: 60 });
    expectError(await http('GET', base + '/auth/me', { headers: authz(forged) }), 401, 'E2003');
    const expired = token('approver', 'acme', { secret, ttlSeconds: 60, now: new Date(Date.now() - 7200_000) });
    expectError(await http('GET', base + '/auth/me', { headers: authz(expired) }), 401, 'E2002');
    expectError(await http('GET', base + '/auth/me', { headers: authz(token('approver', 'other', { secret, ttlSeconds: 60 })) }), 403, 'E2007');
    expectError(await http('GET', base + '/auth/me', { headers: { ...authz(), 'x-user-id': 'someone-else' } }), 403, 'E2001');
    const me = await http('GET', base + '/auth/me', { headers: { ...authz(), 'x-user-id': 'approver' } });
    expect(me.status).toBe(200);
    expect(me.body.data).toMatchObject({ userId: 'approver', tenantId: 'acme' });
  });
});

describe('handler failures', () => {
  test('a thrown Error is a 500 envelope without a stack; a response off the contract is refused', async () => {
    const app = createServiceApp({
      service: 'auth',
      handlers: authHandlers({
        Login: async () => {
          throw new Error('boom at /secret/path.ts:12');
        },
        AuthHealth: async () => ({ status: 200, body: { status: 'SUCCESS' } as never }),
      }),
      logger,
      jwtSecret: secret,
    });
    const base = await listen(app);
    try {
      const res = await http('POST', base + '/auth/login', { body: { username: 'u', password: 'p', tenantId: 'acme' } });
      expectError(res, 500, 'E1000');
      expect(res.text).not.toContain('secret/path');
      expectError(await http('GET', base + '/auth/health'), 500, 'E1000');
    } finally {
      await app.close();
    }
  });

  test('an unimplemented operation answers 501 in the envelope', async () => {
    const app = createServiceApp({
      service: 'auth',
      handlers: authHandlers({
        GetMe: async () => {
          throw ApiError.notImplemented('GetMe');
        },
      }),
      logger,
      jwtSecret: secret,
    });
    const base = await listen(app);
    try {
      expectError(await http('GET', base + '/auth/me', { headers: authz() }), 501, 'E1000');
    } finally {
      await app.close();
    }
  });
});

describe('missing handlers', () => {
  test('a service without a handler for one of its operations does not start', () => {
    const { GetMe: _omit, ...partial } = authHandlers();
    expect(() =>
      createServiceApp({
        service: 'auth',
        // @ts-expect-error GetMe is missing: the generated AuthHandlers interface makes this a compile error.
        handlers: partial satisfies AuthHandlers<RequestContext>,
        logger,
        jwtSecret: secret,
      }),
    ).toThrow('no handler for GetMe');
  });

  test('the generated operation lists cover every service operation', () => {
    expect(authOperationIds).toEqual(['Login', 'GetMe', 'AuthHealth']);
    expect(auraOperationIds).toContain('StartAgentStream');
  });
});

describe('SSE through the binding', () => {
  test('frames, headers, heartbeats, [DONE], and off-contract events are refused', async () => {
    const handlers: Record<string, unknown> = {};
    for (const id of auraOperationIds) handlers[id] = async () => Promise.reject(ApiError.notImplemented(id));
    let offContractRefused = false;
    handlers.JoinStream = async (input: { params: { streamId: string } }, ctx: RequestContext) => {
      const s = ctx.openStream();
      s.send('start', { type: 'start', version: '1.0', timestamp: 1795000000, message: 'hi' }, `${input.params.streamId}:1`);
      // Wait until the heartbeat has written something after the start frame (bounded polling).
      const afterStart = (s as unknown as { lastWrite: number }).lastWrite;
      for (let i = 0; i < 200 && (s as unknown as { lastWrite: number }).lastWrite === afterStart; i++) {
        await new Promise((r) => setTimeout(r, 10));
      }
      try {
        s.send('start', { type: 'start', version: '1.0', timestamp: 1795000000000, message: 'ms' } as never);
      } catch {
        offContractRefused = true;
      }
      s.send('end', { type: 'end', version: '1.0', timestamp: 1795000001, message: 'bye', status: 'completed' }, `${input.params.streamId}:2`);
      s.done();
    };
    const app = createServiceApp({ service: 'aura', handlers: handlers as never, logger, jwtSecret: secret, sseHeartbeatMs: 100 });
    const base = await listen(app);
    try {
      const r = openSse(`${base}/aura/streams/st-1`, { headers: authz() }, 'JoinStream');
      await r.toEnd();
      expect(r.status).toBe(200);
      expect(r.headers!.get('content-type')).toBe('text/event-stream; charset=utf-8');
      expect(r.headers!.get('cache-control')).toBe('no-cache');
      expect(r.headers!.get('x-accel-buffering')).toBe('no');
      expect(r.frames.map((f) => [f.id, f.event])).toEqual([
        ['st-1:1', 'start'],
        ['st-1:2', 'end'],
      ]);
      expect(r.comments).toContain('ping');
      expect(r.done).toBe(true);
      expect(offContractRefused).toBe(true);
      // Errors before the stream opens are ordinary envelopes.
      const bad = await http('GET', `${base}/aura/streams/st-1`);
      expectError(bad, 400, 'E2006');
    } finally {
      await app.close();
    }
  });
});

describe('openapi.yaml is the run-time source of truth', () => {
  // A copy of the contract with one limit lowered, and nothing regenerated: only a binding that
  // reads the document itself can refuse what the copy forbids.
  let dir: string;
  let base: string;
  let app: ReturnType<typeof createServiceApp>;
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'openapi-runtime-'));
    const spec = readFileSync(DEFAULT_OPENAPI_PATH, 'utf8');
    const marker = '    LoginRequest:\n      type: object\n';
    expect(spec).toContain(marker);
    const changed = spec.replace(marker, `${marker}      maxProperties: 2\n`);
    writeFileSync(join(dir, 'openapi.yaml'), changed);
    app = createServiceApp({ service: 'auth', handlers: authHandlers(), logger, jwtSecret: secret, contract: { operations, openapiPath: join(dir, 'openapi.yaml') } });
    base = await listen(app);
  });
  afterAll(async () => {
    await app.close();
    rmSync(dir, { recursive: true, force: true });
  });

  test('a request the loaded document forbids is E4000 from express-openapi-validator', async () => {
    const res = await http('POST', base + '/auth/login', { body: { username: 'u', password: 'p', tenantId: 'acme' } });
    expectError(res, 400, 'E4000');
    expect(res.body.data.errors).toEqual([expect.objectContaining({ field: 'body', keyword: 'maxProperties' })]);
  });

  test('query parameters are checked too (an undeclared one is refused)', async () => {
    const q = await http('GET', base + '/auth/me?debug=1', { headers: authz() });
    expectError(q, 400, 'E4000');
    expect(q.body.data.errors).toEqual([expect.objectContaining({ field: 'query.debug', message: 'is not allowed' })]);
  });
});

describe('response validation is configurable', () => {
  const offContract = () => authHandlers({ AuthHealth: async () => ({ status: 200, body: { status: 'SUCCESS' } as never }) });

  test('0 (the production default) lets the answer through; 1 refuses it', async () => {
    const lax = createServiceApp({ service: 'auth', handlers: offContract(), logger, jwtSecret: secret, responseValidation: 0 });
    const strict = createServiceApp({ service: 'auth', handlers: offContract(), logger, jwtSecret: secret, responseValidation: 1 });
    try {
      const r = await fetch((await listen(lax)) + '/auth/health');
      expect(r.status).toBe(200);
      expect(await r.json()).toEqual({ status: 'SUCCESS' });
      expectError(await http('GET', (await listen(strict)) + '/auth/health'), 500, 'E1000');
    } finally {
      await lax.close();
      await strict.close();
    }
  });
});

describe('slow clients', () => {
  test('a request whose headers never finish is answered 408 and its socket closed', async () => {
    const app = createServiceApp({ service: 'auth', handlers: authHandlers(), logger, jwtSecret: secret, timeouts: { headersMs: 300, requestMs: 300 } });
    const { port } = new URL(await listen(app));
    try {
      const socket = net.connect(Number(port), '127.0.0.1');
      let answer = '';
      socket.on('data', (d) => (answer += d.toString()));
      socket.write('GET /auth/health HTTP/1.1\r\nHost: x\r\nX-Slow: ');
      await new Promise((resolve) => socket.once('close', resolve));
      expect(answer).toMatch(/^HTTP\/1\.1 408 /);
    } finally {
      await app.close();
    }
  });
});
