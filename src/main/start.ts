// The backend composed from its config: the one place it is wired (main.ts runs it alone,
// src/platform.ts with the others).
import { openDatabase } from '../shared/db/database';
import { createLogger } from '../shared/logger';
import { createRedis } from '../shared/redis/connection';
import { serve, type StartOptions, type Started } from '../shared/service/started';
import { createApp } from './app';
import type { MainConfig } from './config';
import { startMainNotifications } from './wiring';

export async function startMain(config: MainConfig, opts: StartOptions = {}): Promise<Started> {
  const logger = opts.logger ?? createLogger('main');
  const database = opts.database ?? (await openDatabase({ databaseUrl: config.databaseUrl, dataDir: config.pgliteDir, logger }));
  const redis = createRedis(config.redis, 'main', logger);
  // The workbench subscriber (PSUBSCRIBE WORKBENCH_PATTERN) and the outbox reader feed the app's
  // notification streams.
  const notifications = startMainNotifications({ db: database.db, redisUrl: config.redis, logger, outboxSweepMs: config.outboxSweepMs });
  const app = createApp({ config, logger, db: database.db, dbKind: database.kind, redis, ...notifications });
  return serve(
    opts.host ?? config.host,
    async (host) => (await app.listen({ port: config.port, host }), app.server),
    [() => app.close(), () => notifications.subscriber.close(), async () => redis.disconnect(), async () => opts.database || database.close()],
  );
}
