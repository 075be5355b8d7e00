// One gateway process composed from its config: the one place it is wired (main.ts runs it alone
// or as one of GATEWAY_WORKERS, src/platform.ts with the other services).
import cluster from 'node:cluster';
import { openDatabase, type Database } from '../shared/db/database';
import { createLogger } from '../shared/logger';
import { serve, type StartOptions, type Started } from '../shared/service/started';
import { createApp } from './app';
import { workerMetricsSource } from './cluster-metrics';
import type { GatewayConfig } from './config';
import { type HistorySink, nullHistorySink } from './history';
import { KyselyHistorySink } from './history-kysely';
import { createMetrics } from './metrics';

/** `database`: where API call history goes (the platform shares the backend's); else `config.databaseUrl`'s. */
export async function startGateway(config: GatewayConfig, opts: StartOptions = {}): Promise<Started> {
  const logger = opts.logger ?? createLogger('gateway');
  const metrics = createMetrics();
  let history: HistorySink = nullHistorySink;
  let ownDatabase: Database | undefined;
  // Alone, the gateway writes history only to a PostgreSQL server: the embedded PGlite folder
  // belongs to the backend process and cannot be opened twice (`npm start` shares it instead).
  const database = opts.database ?? (config.databaseUrl ? (ownDatabase = await openDatabase({ databaseUrl: config.databaseUrl, logger, poolMax: 2 })) : undefined);
  if (database) history = new KyselyHistorySink(database.db, { ...config.history, counters: metrics.historyCounters, logger });
  else if (!cluster.isWorker || cluster.worker?.id === 1) logger.warn('DATABASE_URL is not set: API call history is not recorded by a standalone gateway');
  const metricsText = cluster.isWorker ? workerMetricsSource(metrics.registry) : undefined;
  const server = createApp({ config, logger, history, metrics, ...(metricsText ? { metricsText } : {}) });
  const started = await serve(
    opts.host ?? config.host,
    (host) =>
      new Promise((resolve, reject) => {
        server.once('error', reject);
        server.listen(config.port, host, config.listenBacklog, () => {
          server.off('error', reject);
          resolve(server);
        });
      }),
    [
      () =>
        new Promise((resolve) => {
          server.close(resolve);
          // Open SSE streams would hold close() until they end.
          server.closeAllConnections();
        }),
      () => history.close(),
      async () => ownDatabase?.close(),
    ],
  );
  logger.info({ url: started.url, port: (server.address() as { port: number }).port, pid: process.pid, ...(cluster.isWorker ? { worker: cluster.worker?.id } : {}) }, 'gateway listening');
  return started;
}
