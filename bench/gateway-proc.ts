// A gateway process for the benchmarks: listens on GATEWAY_PORT (0 = any) and prints
// `{"port":N}`. BENCH_HISTORY_DB: API call history to that database. BENCH_WORKERS=n: n
// cluster workers sharing the port (each process stays under the 20,000 open-files cap when
// the SSE benchmark holds 10,000 streams, i.e. 20,000 sockets). Answers IPC 'mem' with the
// memory of every process (after a GC when run with --expose-gc).
import cluster from 'node:cluster';
import type { AddressInfo } from 'node:net';
import { createApp } from '../src/gateway/app';
import { loadGatewayConfig } from '../src/gateway/config';
import { type HistorySink, nullHistorySink } from '../src/gateway/history';
import { KyselyHistorySink } from '../src/gateway/history-kysely';
import { createMetrics } from '../src/gateway/metrics';
import { openDatabase } from '../src/shared/db/database';
import { createLogger } from '../src/shared/logger';

type Mem = NodeJS.MemoryUsage;

async function worker() {
  const logger = createLogger('gateway', 'silent');
  const config = loadGatewayConfig(process.env);
  const metrics = createMetrics();
  let history: HistorySink = nullHistorySink;
  if (process.env.BENCH_HISTORY_DB) {
    const database = await openDatabase({ databaseUrl: process.env.BENCH_HISTORY_DB, poolMax: 2 });
    history = new KyselyHistorySink(database.db, { ...config.history, counters: metrics.historyCounters });
  }
  const server = createApp({ config, logger, history, metrics });
  server.listen(config.port, '127.0.0.1', config.listenBacklog, () => {
    const port = (server.address() as AddressInfo).port;
    if (cluster.isWorker) process.send?.({ port });
    else process.stdout.write(`${JSON.stringify({ port })}\n`);
  });
  process.on('message', (m: unknown) => {
    if (m === 'mem') {
      global.gc?.();
      process.send?.({ mem: [process.memoryUsage()] });
    }
  });
}

function primary(n: number) {
  const workers = Array.from({ length: n }, () => cluster.fork());
  let printed = false;
  for (const w of workers) {
    w.on('message', (m: { port?: number }) => {
      if (m.port && !printed) {
        printed = true;
        process.stdout.write(`${JSON.stringify({ port: m.port })}\n`);
      }
    });
  }
  process.on('message', async (m: unknown) => {
    if (m !== 'mem') return;
    const mems = await Promise.all(
      workers.map(
        (w) =>
          new Promise<Mem>((resolve) => {
            const on = (r: { mem?: Mem[] }) => {
              if (!r.mem) return;
              w.off('message', on);
              resolve(r.mem[0]);
            };
            w.on('message', on);
            w.send('mem');
          }),
      ),
    );
    process.send?.({ mem: mems });
  });
  process.on('SIGTERM', () => {
    for (const w of workers) w.kill('SIGTERM');
    process.exit(0);
  });
}

// Exit normally on SIGTERM so `--cpu-prof` and similar flags can write their output.
if (cluster.isPrimary) process.on('SIGTERM', () => process.exit(0));
const workers = Number(process.env.BENCH_WORKERS ?? 1);
if (cluster.isPrimary && workers > 1) primary(workers);
else void worker();
