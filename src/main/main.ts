import { openDatabase } from '../shared/db/database';
import { createLogger } from '../shared/logger';
import { onShutdown } from '../shared/lifecycle';
import { createRedis } from '../shared/redis/connection';
import { createApp } from './app';
import { loadMainConfig } from './config';
import { startMainNotifications } from './notifications/wiring';

async function main() {
  const logger = createLogger('main');
  const config = loadMainConfig(process.env, (m) => logger.warn(m));
  const database = await openDatabase({ databaseUrl: config.databaseUrl, dataDir: config.pgliteDir, logger });
  const redis = createRedis(config.redis, 'main', logger);
  const notifications = startMainNotifications({ db: database.db, redisUrl: config.redis, logger, outboxSweepMs: config.outboxSweepMs });
  const app = createApp({ config, logger, db: database.db, dbKind: database.kind, redis, ...notifications });
  await app.listen({ port: config.port, host: config.host });
  onShutdown(logger, [() => notifications.subscriber.close(), () => app.close(), async () => redis.quit(), () => database.close()]);
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
