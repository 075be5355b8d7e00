// The backend composed from its config: the one place it is wired (main.ts runs it alone,
// src/platform.ts with the others).
import { openDatabase, type Database } from '../shared/db/database';
import { createLogger, type Logger } from '../shared/logger';
import { createRedis } from '../shared/redis/connection';
import { closeOnce, reachableUrl, type Started } from '../shared/service/started';
import { createApp } from './app';
import type { MainConfig } from './config';
import { startMainNotifications } from './wiring';

export interface MainStartOptions {
  logger?: Logger;
  /** A database opened by the caller (the platform shares one); else the config's, opened and closed here. */
  database?: Database;
  /** Listen here instead of `config.host` (tests: the loopback). */
  host?: string;
}

export async function startMain(config: MainConfig, opts: MainStartOptions = {}): Promise<Started> {
  const logger = opts.logger ?? createLogger('main');
  const database = opts.database ?? (await openDatabase({ databaseUrl: config.databaseUrl, dataDir: config.pgliteDir, logger }));
  const redis = createRedis(config.redis, 'main', logger);
  // The workbench subscriber (PSUBSCRIBE WORKBENCH_PATTERN) and the outbox reader feed the app's
  // notification streams.
  const notifications = startMainNotifications({ db: database.db, redisUrl: config.redis, logger, outboxSweepMs: config.outboxSweepMs });
  const app = createApp({ config, logger, db: database.db, dbKind: database.kind, redis, ...notifications });
  const close = closeOnce([
    () => app.close(),
    () => notifications.subscriber.close(),
    async () => void redis.disconnect(),
    async () => {
      if (!opts.database) await database.close();
    },
  ]);
  const host = opts.host ?? config.host;
  try {
    await app.listen({ port: config.port, host });
  } catch (err) {
    await close();
    throw err;
  }
  return { url: reachableUrl(app.server, host), close };
}
