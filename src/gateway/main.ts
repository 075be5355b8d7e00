import { openDatabase } from '../shared/db/database';
import { onShutdown } from '../shared/lifecycle';
import { createLogger } from '../shared/logger';
import { createApp } from './app';
import { loadGatewayConfig } from './config';
import { type HistorySink, nullHistorySink } from './history';
import { KyselyHistorySink } from './history-kysely';
import { createMetrics } from './metrics';

async function main() {
  const logger = createLogger('gateway');
  const config = loadGatewayConfig(process.env, (m) => logger.warn(m));
  const metrics = createMetrics();
  let history: HistorySink = nullHistorySink;
  let closeDb: () => Promise<void> = async () => undefined;
  // Alone, the gateway writes history only to a PostgreSQL server: the embedded PGlite folder
  // belongs to the backend process and cannot be opened twice (`npm start` shares it instead).
  if (config.databaseUrl) {
    const database = await openDatabase({ databaseUrl: config.databaseUrl, logger, poolMax: 2 });
    history = new KyselyHistorySink(database.db, { ...config.history, counters: metrics.historyCounters, logger });
    closeDb = database.close;
  } else {
    logger.warn('DATABASE_URL is not set: API call history is not recorded by a standalone gateway');
  }
  const server = createApp({ config, logger, history, metrics });
  await new Promise<void>((resolve) => server.listen(config.port, '0.0.0.0', resolve));
  logger.info({ port: config.port }, 'gateway listening');
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

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
