// The history sink's batch insert on both databases the gateway writes to: PostgreSQL (a
// standalone gateway) and the embedded PGlite (`npm start`). Values that need escaping inside
// a PostgreSQL array survive, nulls stay null, and each row keeps the time it was recorded.
import { HistoryColumns } from '../../src/gateway/history-columns';
import type { HistoryRow } from '../../src/gateway/history';
import { KyselyHistorySink } from '../../src/gateway/history-kysely';
import type { Database } from '../../src/shared/db/database';
import { BACKENDS, openTestBackend } from '../support/backends';

const row = (over: Partial<HistoryRow>): HistoryRow => ({
  tenant_id: 't1',
  user_id: 'u1',
  agent_id: null,
  source: 'FRONTEND',
  method: 'GET',
  path: '/api/main/cases',
  query_string: null,
  status_code: 200,
  latency_ms: 3,
  request_size: 0,
  response_size: 120,
  ip: '127.0.0.1',
  user_agent: 'jest',
  trace_id: 'x',
  error_code: null,
  ...over,
});

describe.each(BACKENDS)('KyselyHistorySink on %s', (kind) => {
  let database: Database;
  let cleanup: (() => Promise<void>) | undefined;
  beforeAll(async () => {
    ({ database, cleanup } = await openTestBackend(kind));
  });
  afterAll(async () => {
    await cleanup?.();
  });

  it('writes every column, escaping what arrays need escaped, with the recorded time', async () => {
    const sink = new KyselyHistorySink(database.db, { batchSize: 100, flushIntervalMs: 60_000, maxBuffered: 1000 });
    const awkward = 'a "quoted", {braced} \\ back\\slash, comma, NULL, ünïcødé ☃';
    const before = Date.now();
    sink.record(row({ trace_id: `sink-${kind}-1`, user_agent: awkward, query_string: 'q=1&x={}', request_size: 2 ** 40, status_code: 499, error_code: 'CLIENT_CLOSED' }));
    sink.record(row({ trace_id: `sink-${kind}-2`, tenant_id: null, user_id: null, source: null, ip: null, user_agent: null, request_size: null, response_size: null }));
    sink.record(row({ trace_id: `sink-${kind}-3`, user_agent: 'NULL' }));
    const after = Date.now();
    await sink.close();

    const rows = await database.db.selectFrom('sys_api_call_histories').selectAll().where('trace_id', 'like', `sink-${kind}-%`).orderBy('trace_id').execute();
    expect(rows).toHaveLength(3);
    expect(rows[0]).toMatchObject({ user_agent: awkward, query_string: 'q=1&x={}', status_code: 499, error_code: 'CLIENT_CLOSED', tenant_id: 't1', method: 'GET' });
    expect(Number(rows[0].request_size)).toBe(2 ** 40);
    expect(rows[1]).toMatchObject({ tenant_id: null, user_id: null, source: null, ip: null, user_agent: null, request_size: null, response_size: null });
    // The string "NULL" is a value, not a null.
    expect(rows[2].user_agent).toBe('NULL');
    for (const r of rows) {
      const t = new Date(r.created_at as unknown as string | Date).getTime();
      expect(t).toBeGreaterThanOrEqual(before - 1);
      expect(t).toBeLessThanOrEqual(after + 1);
    }
  });
});

describe('HistoryColumns', () => {
  it('takes the oldest rows, puts a failed batch back in front, drops the oldest', () => {
    const cols = new HistoryColumns();
    for (let i = 0; i < 5; i++) cols.push(row({ trace_id: `r${i}` }), 1000 + i);
    const batch = cols.take(2);
    expect([batch.row(0).trace_id, batch.row(1).trace_id]).toEqual(['r0', 'r1']);
    expect(cols.length).toBe(3);
    cols.prepend(batch);
    expect(Array.from({ length: cols.length }, (_, i) => cols.row(i).trace_id)).toEqual(['r0', 'r1', 'r2', 'r3', 'r4']);
    cols.dropOldest(3);
    expect(Array.from({ length: cols.length }, (_, i) => [cols.row(i).trace_id, cols.row(i).at])).toEqual([
      ['r3', 1003],
      ['r4', 1004],
    ]);
  });
});
