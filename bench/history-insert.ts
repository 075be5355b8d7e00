// `npm run bench:history`: the gateway's API call history batch insert, as the sink writes it
// (one `unnest` array per column) and as a plain Kysely multi-row VALUES insert, side by side in
// alternating rounds on a scratch PostgreSQL database on this machine. Reports wall time and
// the CPU both processes spent per row: Node (building and sending the query) and PostgreSQL
// (its backends, from /proc). Prints a table, writes bench/results/history-insert.json.
import { mkdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { HistoryRow } from '../src/gateway/history';
import { KyselyHistorySink } from '../src/gateway/history-kysely';
import { openDatabase } from '../src/shared/db/database';
import { createTestDatabase } from '../test/support/pg';
import { cpuOfNamed, median } from './support';

const BATCHES = Number(process.env.BENCH_BATCHES ?? 100);
const BATCH = Number(process.env.BENCH_BATCH ?? 500);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);

const row = (i: number): HistoryRow => ({
  tenant_id: 'bench',
  user_id: 'bench-user',
  agent_id: null,
  source: 'FRONTEND',
  method: 'GET',
  path: '/api/main/cases',
  query_string: i % 3 === 0 ? 'page=2&size=20' : null,
  status_code: 200,
  latency_ms: 1,
  request_size: 0,
  response_size: 120,
  ip: '127.0.0.1',
  user_agent: 'Mozilla/5.0 (X11; Linux x86_64) bench',
  trace_id: `trace-${i}-9b1deb4d-3b7d-4bad-9bdd-2b0d7b3dcb6d`,
  error_code: null,
});

async function main() {
  const tdb = await createTestDatabase();
  const database = await openDatabase({ databaseUrl: tdb.url });
  const { db } = database;
  const methods = {
    async unnest(rows: HistoryRow[]) {
      const sink = new KyselyHistorySink(db, { batchSize: rows.length, flushIntervalMs: 3_600_000, maxBuffered: rows.length });
      for (const r of rows) sink.record(r);
      await sink.close();
    },
    async values(rows: HistoryRow[]) {
      await db.insertInto('sys_api_call_histories').values(rows).execute();
    },
  };
  const samples: Record<string, { wallMs: number; nodeUsPerRow: number; postgresUsPerRow: number }[]> = { unnest: [], values: [] };
  try {
    for (let round = 0; round < ROUNDS; round++) {
      for (const [name, insert] of Object.entries(methods)) {
        const pg0 = cpuOfNamed('postgres');
        const cpu0 = process.cpuUsage();
        const t0 = performance.now();
        for (let b = 0; b < BATCHES; b++) await insert(Array.from({ length: BATCH }, (_, i) => row(b * BATCH + i)));
        const wallMs = performance.now() - t0;
        const cpu = process.cpuUsage(cpu0);
        const rows = BATCHES * BATCH;
        samples[name].push({
          wallMs: Math.round(wallMs),
          nodeUsPerRow: Number(((cpu.user + cpu.system) / rows).toFixed(2)),
          postgresUsPerRow: Number((((cpuOfNamed('postgres') - pg0) * 1e6) / rows).toFixed(2)),
        });
      }
    }
  } finally {
    await database.close();
    await tdb.drop();
  }
  const summary = Object.entries(samples).map(([method, s]) => ({
    method,
    'rows/s': Math.round((BATCHES * BATCH) / (median(s.map((x) => x.wallMs)) / 1000)),
    'Node µs/row': median(s.map((x) => x.nodeUsPerRow)),
    'PostgreSQL µs/row': median(s.map((x) => x.postgresUsPerRow)),
  }));
  console.table(summary);
  const result = {
    machine: { cpus: os.cpus().length, node: process.version, loadAverage: os.loadavg().map((x) => Number(x.toFixed(2))) },
    settings: { batches: BATCHES, batchSize: BATCH, rounds: ROUNDS, note: 'medians of alternating rounds; row building is included for both' },
    summary,
    samples,
  };
  mkdirSync(path.join(__dirname, 'results'), { recursive: true });
  writeFileSync(path.join(__dirname, 'results', 'history-insert.json'), `${JSON.stringify(result, null, 2)}\n`);
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
