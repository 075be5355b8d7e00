// API call history against the real PostgreSQL: one row per request, the SSE summary row,
// the error codes, no invented tenant; and a database that is down loses nothing within the
// buffer and counts what it drops.
import http from 'node:http';
import net, { type AddressInfo } from 'node:net';
import type { Kysely } from 'kysely';
import { HEADERS } from '../../generated/contract';
import { KyselyHistorySink } from '../../src/gateway/history-kysely';
import { createMetrics } from '../../src/gateway/metrics';
import { createApp } from '../../src/gateway/app';
import { loadGatewayConfig } from '../../src/gateway/config';
import { openDatabase, type Database } from '../../src/shared/db/database';
import type { DB } from '../../src/shared/db/schema';
import { createLogger } from '../../src/shared/logger';
import { createTestDatabase, type TestDatabase } from '../support/pg';
import { authHeaders, JWT_SECRET } from '../support/auth';
import { eventually } from '../support/eventually';
import { refusedUrl, request, startStub, type Stub } from './support';

const lc = (s: string) => s.toLowerCase();

async function gatewayWith(sink: KyselyHistorySink | undefined, metrics: ReturnType<typeof createMetrics>, upstream: string, env: Record<string, string> = {}) {
  const config = loadGatewayConfig({ JWT_SECRET, AURA_URL: upstream, MAIN_URL: upstream, AUTH_URL: upstream, ...env });
  const server = createApp({ config, logger: createLogger('gateway', 'silent'), history: sink, metrics });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () =>
      new Promise<void>((r) => {
        server.close(() => r());
        server.closeAllConnections();
      }),
  };
}

describe('API call history in PostgreSQL', () => {
  let tdb: TestDatabase;
  let database: Database;
  let db: Kysely<DB>;
  let stub: Stub;
  let sink: KyselyHistorySink;
  let metrics: ReturnType<typeof createMetrics>;
  let gw: { url: string; close(): Promise<void> };

  beforeAll(async () => {
    tdb = await createTestDatabase();
    database = await openDatabase({ databaseUrl: tdb.url });
    db = database.db;
    stub = await startStub((req, res) => {
      if (req.url?.startsWith('/aura/streams/')) {
        res.writeHead(200, { 'content-type': 'text/event-stream' });
        res.write('id: s:1\nevent: content\ndata: {"content":"x"}\n\n');
        if (req.url.includes('/finite')) res.end('data: [DONE]\n\n');
        return;
      }
      const text = JSON.stringify({ ok: true });
      res.writeHead(200, { 'content-type': 'application/json', 'content-length': text.length });
      res.end(text);
    });
    metrics = createMetrics();
    sink = new KyselyHistorySink(db, { batchSize: 100, flushIntervalMs: 20, maxBuffered: 1000, counters: metrics.historyCounters });
    gw = await gatewayWith(sink, metrics, stub.url);
  });
  afterAll(async () => {
    await gw?.close();
    await sink?.close();
    await stub?.close();
    await database?.close();
    await tdb?.drop();
  });

  const rowFor = async (traceId: string) => {
    let row: Awaited<ReturnType<typeof find>> | undefined;
    const find = () => db.selectFrom('sys_api_call_histories').selectAll().where('trace_id', '=', traceId).execute();
    await eventually(async () => (row = await find()).length > 0, `history row for ${traceId}`);
    return row!;
  };

  it('writes one row per request with the caller, sizes and no error code', async () => {
    const body = JSON.stringify({ case_id: 'C1', request_id: 'r1', executor_id: 'alice', approved: true });
    const res = await request(`${gw.url}/api/main/cases/C1/analysis-runs?dry=1`, {
      method: 'POST',
      headers: { ...authHeaders('alice', 't1'), [HEADERS.AGENT_ID]: 'agent-1', [HEADERS.TRACE_ID]: 'hist-ok-1', 'user-agent': 'jest-ua', 'content-type': 'application/json' },
      body,
    });
    expect(res.status).toBe(200);
    const rows = await rowFor('hist-ok-1');
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({
      tenant_id: 't1',
      user_id: 'alice',
      agent_id: 'agent-1',
      source: 'FRONTEND',
      method: 'POST',
      path: '/api/main/cases/C1/analysis-runs',
      query_string: 'dry=1',
      status_code: 200,
      request_size: body.length,
      response_size: res.text.length,
      ip: '127.0.0.1',
      user_agent: 'jest-ua',
      error_code: null,
    });
    expect(rows[0].latency_ms).toBeGreaterThanOrEqual(0);
  });

  it('records a request without a tenant without inventing one (CLIENT_ERROR)', async () => {
    const res = await request(`${gw.url}/api/main/cases`, { headers: { [HEADERS.TRACE_ID]: 'hist-notenant' } });
    expect(res.status).toBe(400);
    const [row] = await rowFor('hist-notenant');
    expect(row).toMatchObject({ tenant_id: null, user_id: null, status_code: 400, error_code: 'CLIENT_ERROR' });
  });

  it('writes one summary row per SSE stream when it ends, with query and sizes null', async () => {
    const res = await request(`${gw.url}/api/aura/streams/finite?x=1`, { headers: { ...authHeaders('alice', 't1'), [HEADERS.TRACE_ID]: 'hist-sse-1' } });
    expect(res.text).toContain('[DONE]');
    const rows = await rowFor('hist-sse-1');
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ status_code: 200, query_string: null, request_size: null, response_size: null, error_code: null });
  });

  it('records a client that leaves a stream as 499 CLIENT_CLOSED', async () => {
    const u = new URL(`${gw.url}/api/aura/streams/open`);
    await new Promise<void>((resolve, reject) => {
      const req = http.get({ hostname: u.hostname, port: u.port, path: u.pathname, headers: { ...authHeaders('alice', 't1'), [lc(HEADERS.TRACE_ID)]: 'hist-499' } }, (res) => {
        res.once('data', () => {
          req.destroy();
          resolve();
        });
      });
      req.on('error', () => undefined);
      req.setTimeout(5000, () => reject(new Error('no data')));
    });
    const [row] = await rowFor('hist-499');
    expect(row).toMatchObject({ status_code: 499, error_code: 'CLIENT_CLOSED', response_size: null });
  });

  it('records 502 as SERVER_ERROR and 504 as GATEWAY_TIMEOUT', async () => {
    const silent = await startStub(() => undefined);
    const m = createMetrics();
    const down = await gatewayWith(sink, m, await refusedUrl());
    const slow = await gatewayWith(sink, m, silent.url, { GATEWAY_IDLE_TIMEOUT_MS: '100' });
    try {
      expect((await request(`${down.url}/api/main/cases`, { headers: { ...authHeaders('alice', 't1'), [HEADERS.TRACE_ID]: 'hist-502' } })).status).toBe(502);
      expect((await request(`${slow.url}/api/main/cases`, { headers: { ...authHeaders('alice', 't1'), [HEADERS.TRACE_ID]: 'hist-504' } })).status).toBe(504);
      expect((await rowFor('hist-502'))[0]).toMatchObject({ status_code: 502, error_code: 'SERVER_ERROR' });
      expect((await rowFor('hist-504'))[0]).toMatchObject({ status_code: 504, error_code: 'GATEWAY_TIMEOUT' });
    } finally {
      await down.close();
      await slow.close();
      await silent.close();
    }
  });

  it('counts written rows in /metrics', async () => {
    const text = await fetch(`${gw.url}/metrics`).then((r) => r.text());
    const written = Number(/gateway_history_rows_written_total (\d+)/.exec(text)?.[1]);
    expect(written).toBeGreaterThanOrEqual(5);
  });

  it('buffers while the database is down and writes everything once it is back', async () => {
    // A real TCP hop in front of PostgreSQL that is not listening at first: the pool's
    // connections are refused until it starts.
    const port = Number(new URL(await refusedUrl()).port);
    const target = new URL(tdb.url);
    const url = new URL(tdb.url);
    url.port = String(port);
    const cut = await openDatabaseLazy(url.toString());
    const m = createMetrics();
    const buffered = new KyselyHistorySink(cut.db, { batchSize: 50, flushIntervalMs: 20, maxBuffered: 1000, counters: m.historyCounters });
    const g = await gatewayWith(buffered, m, stub.url);
    let proxy: net.Server | undefined;
    try {
      for (let i = 0; i < 10; i++) {
        expect((await request(`${g.url}/api/main/cases`, { headers: { ...authHeaders('alice', 't1'), [HEADERS.TRACE_ID]: `hist-outage-${i}` } })).status).toBe(200);
      }
      expect(buffered.buffered()).toBe(10);
      expect(await m.registry.metrics()).toMatch(/gateway_history_rows_written_total 0/);
      proxy = net.createServer((c) => {
        const s = net.connect(Number(target.port || 5432), target.hostname);
        c.pipe(s).pipe(c);
        c.on('error', () => s.destroy());
        s.on('error', () => c.destroy());
      });
      await new Promise<void>((r) => proxy!.listen(port, '127.0.0.1', r));
      await eventually(async () => {
        const n = await db.selectFrom('sys_api_call_histories').select(db.fn.countAll<number>().as('n')).where('trace_id', 'like', 'hist-outage-%').executeTakeFirstOrThrow();
        return Number(n.n) === 10;
      }, 'buffered rows written after the outage', { timeoutMs: 10_000 });
      const text = await m.registry.metrics();
      expect(text).toMatch(/gateway_history_rows_dropped_total 0/);
      expect(text).toMatch(/gateway_history_rows_written_total 10/);
    } finally {
      await g.close();
      await buffered.close(500);
      await cut.destroy();
      proxy?.close();
    }
  });

  it('drops the oldest rows beyond the bound and counts them, without failing requests', async () => {
    const dead = new URL(tdb.url);
    dead.port = new URL(await refusedUrl()).port;
    const cut = await openDatabaseLazy(dead.toString());
    const m = createMetrics();
    const bounded = new KyselyHistorySink(cut.db, { batchSize: 50, flushIntervalMs: 20, maxBuffered: 5, counters: m.historyCounters });
    const g = await gatewayWith(bounded, m, stub.url);
    try {
      for (let i = 0; i < 8; i++) expect((await request(`${g.url}/api/main/cases`, { headers: authHeaders('alice', 't1') })).status).toBe(200);
      expect(bounded.buffered()).toBeLessThanOrEqual(5);
      const text = await fetch(`${g.url}/metrics`).then((r) => r.text());
      expect(text).toMatch(/gateway_history_rows_dropped_total 3/);
      expect(text).toMatch(/gateway_history_rows_buffered [45]/);
    } finally {
      await g.close();
      await bounded.close(200);
      await cut.destroy();
    }
  });
});

/** A Kysely over a server that may not be up yet (openDatabase would migrate, i.e. connect, now). */
async function openDatabaseLazy(url: string) {
  const { Kysely, PostgresDialect } = await import('kysely');
  const { Pool } = await import('pg');
  const pool = new Pool({ connectionString: url, max: 2, connectionTimeoutMillis: 1000 });
  pool.on('error', () => undefined);
  const db = new Kysely<DB>({ dialect: new PostgresDialect({ pool }) });
  return { db, destroy: () => db.destroy() };
}
