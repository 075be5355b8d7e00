import { openDatabase } from '../shared/db/database';
import { createLogger } from '../shared/logger';
import { onShutdown } from '../shared/lifecycle';
import { createApp } from './app';
import { loadAuthConfig } from './config';

async function main() {
  const logger = createLogger('auth');
  const config = loadAuthConfig(process.env, (m) => logger.warn(m));
  const database = await openDatabase({ databaseUrl: config.databaseUrl, dataDir: config.pgliteDir, logger });
  const app = createApp({ config, logger, db: database.db, dbKind: database.kind });
  await app.listen({ port: config.port, host: config.host });
  onShutdown(logger, [() => app.close(), () => database.close()]);
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
