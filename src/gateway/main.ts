import cluster, { type Worker } from 'node:cluster';
import { openDatabase } from '../shared/db/database';
import { onShutdown } from '../shared/lifecycle';
import { createLogger, type Logger } from '../shared/logger';
import { createApp } from './app';
import { type GatewayConfig, loadGatewayConfig } from './config';
import { type HistorySink, nullHistorySink } from './history';
import { KyselyHistorySink } from './history-kysely';
import { serveClusterMetrics, workerMetricsSource } from './cluster-metrics';
import { createMetrics } from './metrics';

/** One gateway process: the whole gateway, or one of GATEWAY_WORKERS sharing the port. */
async function serve(logger: Logger, config: GatewayConfig) {
  const metrics = createMetrics();
  let history: HistorySink = nullHistorySink;
  let closeDb: () => Promise<void> = async () => undefined;
  // Alone, the gateway writes history only to a PostgreSQL server: the embedded PGlite folder
  // belongs to the backend process and cannot be opened twice (`npm start` shares it instead).
  if (config.databaseUrl) {
    const database = await openDatabase({ databaseUrl: config.databaseUrl, logger, poolMax: 2 });
    history = new KyselyHistorySink(database.db, { ...config.history, counters: metrics.historyCounters, logger });
    closeDb = database.close;
  } else if (!cluster.isWorker || cluster.worker?.id === 1) {
    logger.warn('DATABASE_URL is not set: API call history is not recorded by a standalone gateway');
  }
  const metricsText = cluster.isWorker ? workerMetricsSource(metrics.registry) : undefined;
  const server = createApp({ config, logger, history, metrics, ...(metricsText ? { metricsText } : {}) });
  await new Promise<void>((resolve) => server.listen(config.port, config.host, config.listenBacklog, resolve));
  const port = (server.address() as { port: number }).port;
  logger.info({ port, pid: process.pid, ...(cluster.isWorker ? { worker: cluster.worker?.id } : {}) }, 'gateway listening');
  onShutdown(logger, [
    () =>
      new Promise((r) => {
        server.close(r);
        // Open SSE streams would hold close() forever.
        server.closeAllConnections();
      }),
    () => history.close(),
    closeDb,
  ]);
}

/**
 * GATEWAY_WORKERS > 1: a primary that forks that many gateway processes sharing the port
 * (node:cluster; the primary accepts and hands connections round-robin). Each worker is a whole
 * gateway with its own upstream pools, token cache, history batches and metrics; /metrics,
 * whichever worker serves the scrape, answers for all of them (the primary aggregates). A
 * worker that dies is replaced; SIGTERM or
 * SIGINT stops the workers (each drains as a single gateway does), then the primary.
 */
function supervise(logger: Logger, workers: number) {
  let stopping = false;
  const fork = () => cluster.fork();
  cluster.on('exit', (w: Worker, code, signal) => {
    if (stopping) {
      if (Object.keys(cluster.workers ?? {}).length === 0) process.exit(0);
      return;
    }
    logger.error({ worker: w.id, code, signal }, 'gateway worker died; starting another');
    fork();
  });
  serveClusterMetrics();
  for (let i = 0; i < workers; i++) fork();
  logger.info({ workers, pid: process.pid }, 'gateway primary started');
  const stop = (signal: NodeJS.Signals) => {
    if (stopping) process.exit(1);
    stopping = true;
    logger.info({ signal }, 'stopping gateway workers');
    const alive = Object.values(cluster.workers ?? {}).filter((w): w is Worker => !!w);
    if (alive.length === 0) process.exit(0);
    for (const w of alive) w.process.kill('SIGTERM');
  };
  process.once('SIGINT', () => stop('SIGINT'));
  process.once('SIGTERM', () => stop('SIGTERM'));
}

async function main() {
  const logger = createLogger('gateway');
  const config = loadGatewayConfig(process.env, (m) => logger.warn(m));
  if (cluster.isPrimary && config.workers > 1) return supervise(logger, config.workers);
  await serve(logger, config);
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
