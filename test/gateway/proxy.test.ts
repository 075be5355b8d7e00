// The gateway in front of real stub upstreams: routing, the header/JWT contract, CORS,
// upstream failures and instance lists, health and metrics.
import { readFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import YAML from 'yaml';
import { HEADERS } from '../../generated/contract';
import { createApp } from '../../src/gateway/app';
import { loadGatewayConfig } from '../../src/gateway/config';
import { createLogger } from '../../src/shared/logger';
import * as V from '../../generated/validators/schemas';
import { authHeaders, JWT_SECRET, token } from '../support/auth';
import { eventually } from '../support/eventually';
import {
  echo,
  expectEnvelope,
  type Gateway,
  refusedUrl,
  request,
  startBlackhole,
  startGateway,
  startStub,
  type Stub,
} from './support';

const lc = (s: string) => s.toLowerCase();

describe('gateway proxy', () => {
  let aura: Stub;
  let main: Stub;
  let auth: Stub;
  let gw: Gateway;

  beforeAll(async () => {
    [aura, main, auth] = await Promise.all([startStub(), startStub(), startStub()]);
    gw = await startGateway({ aura: aura.url, main: main.url, auth: auth.url });
  });
  afterAll(async () => {
    await gw.close();
    await Promise.all([aura.close(), main.close(), auth.close()]);
  });

  const last = (s: Stub) => s.seen[s.seen.length - 1];

  it('serves the API docs itself: public, no upstream, the Scalar page and the contract as JSON', async () => {
    const before = aura.seen.length + main.seen.length + auth.seen.length;
    const res = await fetch(`${gw.url}/api/docs`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(res.headers.get('content-security-policy')).toContain("script-src 'self';");
    const html = await res.text();
    expect(html).toContain('src="/api/docs/assets/scalar.js"');
    expect(html).toContain('href="/api/docs/asyncapi"');
    const spec = await fetch(`${gw.url}/api/docs/openapi.json`);
    expect(spec.status).toBe(200);
    expect(spec.headers.get('content-type')).toBe('application/vnd.oai.openapi+json; charset=utf-8');
    // The document itself, not a rendering of it.
    expect(await spec.json()).toEqual(YAML.parse(readFileSync(join(__dirname, '..', '..', 'openapi.yaml'), 'utf8'), { merge: true }));
    expect(aura.seen.length + main.seen.length + auth.seen.length).toBe(before);
    expectEnvelope(await request(`${gw.url}/api/docs`, { method: 'POST' }), 405, 'E1002');
  });

  it('routes by priority, strips /api, forwards query and body', async () => {
    const before = { aura: aura.seen.length, main: main.seen.length };
    const a = await request(`${gw.url}/api/aura/hitl/approve/r-1?x=1`, {
      method: 'POST',
      headers: { ...authHeaders('alice', 't1'), 'content-type': 'application/json' },
      body: JSON.stringify({ userId: 'alice' }),
    });
    expect(a.status).toBe(200);
    expect(main.seen.length).toBe(before.main + 1);
    expect(last(main)).toMatchObject({ method: 'POST', url: '/aura/hitl/approve/r-1?x=1', body: '{"userId":"alice"}' });
    const b = await request(`${gw.url}/api/aura/analysis-runs/run-1`, { headers: authHeaders('alice', 't1') });
    expect(b.status).toBe(200);
    expect(aura.seen.length).toBe(before.aura + 1);
    expect(last(aura).url).toBe('/aura/analysis-runs/run-1');
    expect(b.headers['x-upstream']).toBe('stub');
  });

  it('propagates the standard headers, sets X-User-ID from sub and the DWP defaults', async () => {
    const res = await request(`${gw.url}/api/main/cases`, {
      headers: { ...authHeaders('alice', 't1'), [HEADERS.AGENT_ID]: 'agent-7', [HEADERS.LAST_EVENT_ID]: 's:3', [HEADERS.TRACE_ID]: 'trace-abc' },
    });
    expect(res.status).toBe(200);
    const h = last(main).headers;
    expect(h[lc(HEADERS.TENANT_ID)]).toBe('t1');
    expect(h[lc(HEADERS.USER_ID)]).toBe('alice');
    expect(h[lc(HEADERS.AGENT_ID)]).toBe('agent-7');
    expect(h[lc(HEADERS.LAST_EVENT_ID)]).toBe('s:3');
    expect(h[lc(HEADERS.DWP_SOURCE)]).toBe('FRONTEND');
    expect(h[lc(HEADERS.DWP_CALLER_TYPE)]).toBe('USER');
    expect(h[lc(HEADERS.AUTHORIZATION)]).toMatch(/^Bearer /);
    expect(h[lc(HEADERS.TRACE_ID)]).toBe('trace-abc');
    expect(h[lc(HEADERS.GATEWAY_REQUEST_ID)]).toMatch(/^gw-/);
    // Echoed to the client.
    expect(res.headers[lc(HEADERS.TRACE_ID)]).toBe('trace-abc');
    expect(res.headers[lc(HEADERS.GATEWAY_REQUEST_ID)]).toBe(h[lc(HEADERS.GATEWAY_REQUEST_ID)]);
  });

  it('adds a trace id when the client has none, and keeps explicit DWP headers', async () => {
    const res = await request(`${gw.url}/api/main/cases`, {
      headers: { ...authHeaders('alice', 't1'), [HEADERS.DWP_SOURCE]: 'BATCH', [HEADERS.DWP_CALLER_TYPE]: 'SYSTEM' },
    });
    const h = last(main).headers;
    expect(res.headers[lc(HEADERS.TRACE_ID)]).toMatch(/^trace-/);
    expect(h[lc(HEADERS.TRACE_ID)]).toBe(res.headers[lc(HEADERS.TRACE_ID)]);
    expect(h[lc(HEADERS.DWP_SOURCE)]).toBe('BATCH');
    expect(h[lc(HEADERS.DWP_CALLER_TYPE)]).toBe('SYSTEM');
  });

  it('requires X-Tenant-ID except on public paths, and a token on protected ones', async () => {
    const before = main.seen.length + aura.seen.length + auth.seen.length;
    const noTenant = await request(`${gw.url}/api/main/cases`, { headers: { authorization: `Bearer ${token('alice', 't1')}` } });
    expectEnvelope(noTenant, 400, 'E2006');
    expect(noTenant.body.traceId).toBe(noTenant.headers[lc(HEADERS.TRACE_ID)]);
    expectEnvelope(await request(`${gw.url}/api/main/cases`, { headers: { 'x-tenant-id': 't1' } }), 401, 'E2000');
    expect(main.seen.length + aura.seen.length + auth.seen.length).toBe(before);

    const login = await request(`${gw.url}/api/auth/login`, { method: 'POST', body: '{}', headers: { 'content-type': 'application/json' } });
    expect(login.status).toBe(200);
    expect(last(auth).url).toBe('/auth/login');
    expect(last(auth).headers[lc(HEADERS.USER_ID)]).toBeUndefined();
    for (const p of ['/api/auth/health', '/api/main/health', '/api/aura/health']) {
      expect((await request(gw.url + p)).status).toBe(200);
    }
  });

  it('refuses bad tokens and mismatches before any upstream sees the request', async () => {
    const before = main.seen.length;
    const other = { authorization: `Bearer ${token('alice', 't1')}` };
    expectEnvelope(await request(`${gw.url}/api/main/cases`, { headers: { ...other, 'x-tenant-id': 't2' } }), 403, 'E2007');
    expectEnvelope(await request(`${gw.url}/api/main/cases`, { headers: { ...authHeaders('alice', 't1'), 'x-user-id': 'bob' } }), 403, 'E2001');
    expectEnvelope(
      await request(`${gw.url}/api/main/cases`, { headers: { 'x-tenant-id': 't1', authorization: `Bearer ${token('alice', 't1', { ttlSeconds: -10 })}` } }),
      401,
      'E2002',
    );
    expectEnvelope(
      await request(`${gw.url}/api/main/cases`, { headers: { 'x-tenant-id': 't1', authorization: 'Bearer not.a.jwt' } }),
      401,
      'E2003',
    );
    expectEnvelope(await request(`${gw.url}/api/main/cases`, { headers: { ...authHeaders('alice', 't1'), [HEADERS.DWP_SOURCE]: 'HACKER' } }), 400, 'E4000');
    expect(main.seen.length).toBe(before);
  });

  it('answers unknown routes with 404 E1004', async () => {
    expectEnvelope(await request(`${gw.url}/api/other/x`, { headers: authHeaders('alice', 't1') }), 404, 'E1004');
    expectEnvelope(await request(`${gw.url}/nothing`), 404, 'E1004');
  });

  it('answers CORS preflights and exposes X-Trace-Id', async () => {
    const pre = await request(`${gw.url}/api/aura/test/stream`, {
      method: 'OPTIONS',
      headers: { origin: 'http://localhost:4200', 'access-control-request-method': 'POST', 'access-control-request-headers': 'x-tenant-id, last-event-id' },
    });
    expect(pre.status).toBe(204);
    expect(pre.headers['access-control-allow-origin']).toBe('http://localhost:4200');
    expect(pre.headers['access-control-allow-headers']).toContain(HEADERS.LAST_EVENT_ID);
    const denied = await request(`${gw.url}/api/aura/test/stream`, {
      method: 'OPTIONS',
      headers: { origin: 'http://evil.example', 'access-control-request-method': 'POST' },
    });
    expectEnvelope(denied, 403, 'E1003');
    const actual = await request(`${gw.url}/api/main/cases`, { headers: { ...authHeaders('alice', 't1'), origin: 'http://localhost:3000' } });
    expect(actual.headers['access-control-allow-origin']).toBe('http://localhost:3000');
    expect(actual.headers['access-control-expose-headers']).toContain(HEADERS.TRACE_ID);
  });

  it('serves /health with each upstream, and /metrics in Prometheus format', async () => {
    const h = await request(`${gw.url}/health`);
    expect(h.status).toBe(200);
    expect(V.HealthResponse(h.body)).toBe(true);
    expect(Object.keys(h.body.data.checks)).toEqual(expect.arrayContaining(['aura', 'main', 'auth']));
    expect(h.body.data.status).toBe('UP');
    const m = await request(`${gw.url}/metrics`);
    expect(m.status).toBe(200);
    expect(m.headers['content-type']).toMatch(/^text\/plain/);
    expect(m.text).toMatch(/gateway_requests_total\{upstream="main",method="GET",status="200"\} \d+/);
    expect(m.text).toContain('gateway_request_duration_seconds_bucket');
    expect(m.text).toContain('gateway_history_rows_dropped_total');
  });

  it('answers 503 in the envelope when its metrics source fails (a cluster primary that does not answer)', async () => {
    const config = loadGatewayConfig({ JWT_SECRET });
    const server = createApp({
      config,
      logger: createLogger('gateway', 'silent'),
      metricsText: () => Promise.reject(new Error('the primary did not answer')),
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    try {
      expectEnvelope(await request(`http://127.0.0.1:${(server.address() as AddressInfo).port}/metrics`), 503, 'E1000');
    } finally {
      await new Promise((r) => server.close(r));
    }
  });
});

describe('upstream failures and instance lists', () => {
  it('answers 502 E5000 when every instance refuses, and counts it', async () => {
    const gw = await startGateway({ main: await refusedUrl() });
    try {
      const res = await request(`${gw.url}/api/main/cases`, { headers: authHeaders('alice', 't1') });
      expectEnvelope(res, 502, 'E5000');
      const m = await request(`${gw.url}/metrics`);
      expect(m.text).toMatch(/gateway_upstream_errors_total\{upstream="main",kind="refused"\} 1/);
      const h = await request(`${gw.url}/health`);
      expect(h.status).toBe(200);
      expect(h.body.data.status).toBe('DEGRADED');
      expect(h.body.data.checks.main.status).toBe('DOWN');
    } finally {
      await gw.close();
    }
  });

  it('answers 504 E5001 when the upstream does not answer within the idle limit', async () => {
    const silent = await startStub(() => undefined);
    const gw = await startGateway({ main: silent.url }, { GATEWAY_IDLE_TIMEOUT_MS: '200' });
    try {
      expectEnvelope(await request(`${gw.url}/api/main/cases`, { headers: authHeaders('alice', 't1') }), 504, 'E5001');
      // The gateway gave up on the upstream request too.
      await eventually(() => silent.activeRequests() === 0, 'upstream request closed');
    } finally {
      await gw.close();
      await silent.close();
    }
  });

  it('answers 504 E5001 when the connection cannot be made within the connect limit', async () => {
    const blackhole = await startBlackhole();
    const gw = await startGateway({ main: blackhole.url }, { GATEWAY_CONNECT_TIMEOUT_MS: '200', GATEWAY_IDLE_TIMEOUT_MS: '60000' });
    try {
      expectEnvelope(await request(`${gw.url}/api/main/cases`, { headers: authHeaders('alice', 't1') }), 504, 'E5001');
    } finally {
      await gw.close();
      blackhole.close();
    }
  });

  it('round-robins over instances and passes over a refused one', async () => {
    const a = await startStub();
    const b = await startStub();
    const dead = await refusedUrl();
    const gw = await startGateway({ aura: [a.url, dead, b.url].join(',') });
    try {
      for (let i = 0; i < 9; i++) {
        const res = await request(`${gw.url}/api/aura/analysis-runs/r${i}`, { headers: authHeaders('alice', 't1') });
        expect(res.status).toBe(200);
      }
      expect(a.seen.length + b.seen.length).toBe(9);
      expect(a.seen.length).toBeGreaterThanOrEqual(3);
      expect(b.seen.length).toBeGreaterThanOrEqual(3);
    } finally {
      await gw.close();
      await a.close();
      await b.close();
    }
  });

  it('passes upstream error answers through unchanged', async () => {
    const failing = await startStub((_req, res) => {
      res.writeHead(409, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ status: 'ERROR', message: 'Already decided', data: null, success: false, timestamp: '2026-11-22T09:00:00Z', errorCode: 'E3006' }));
    });
    const gw = await startGateway({ main: failing.url });
    try {
      const res = await request(`${gw.url}/api/aura/hitl/approve/r1`, { method: 'POST', headers: authHeaders('alice', 't1') });
      expect(res.status).toBe(409);
      expect(res.body.errorCode).toBe('E3006');
    } finally {
      await gw.close();
      await failing.close();
    }
  });

  it('keeps keep-alive sockets to upstreams', async () => {
    const up = await startStub(echo);
    const gw = await startGateway({ main: up.url });
    try {
      for (let i = 0; i < 20; i++) expect((await request(`${gw.url}/api/main/cases`, { headers: authHeaders('alice', 't1') })).status).toBe(200);
      // Sequential requests reuse one upstream connection.
      expect(up.openSockets()).toBe(1);
      expect(up.seen.length).toBe(20);
    } finally {
      await gw.close();
      await up.close();
    }
  });
});
