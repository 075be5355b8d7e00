// The auth server composed from its config: the one place it is wired (main.ts runs it alone,
// src/platform.ts with the others).
import { openDatabase, type Database } from '../shared/db/database';
import { createLogger, type Logger } from '../shared/logger';
import { closeOnce, reachableUrl, type Started } from '../shared/service/started';
import { createApp } from './app';
import type { AuthConfig } from './config';

export interface AuthStartOptions {
  logger?: Logger;
  /** A database opened by the caller (the platform shares one); else the config's, opened and closed here. */
  database?: Database;
  /** Listen here instead of `config.host` (tests: the loopback). */
  host?: string;
}

export async function startAuth(config: AuthConfig, opts: AuthStartOptions = {}): Promise<Started> {
  const logger = opts.logger ?? createLogger('auth');
  const database = opts.database ?? (await openDatabase({ databaseUrl: config.databaseUrl, dataDir: config.pgliteDir, logger }));
  const closeDatabase = async () => {
    if (!opts.database) await database.close();
  };
  const app = createApp({ config, logger, db: database.db, dbKind: database.kind });
  const host = opts.host ?? config.host;
  try {
    await app.listen({ port: config.port, host });
  } catch (err) {
    await closeDatabase();
    throw err;
  }
  return { url: reachableUrl(app.server, host), close: closeOnce([() => app.close(), closeDatabase]) };
}
