// The auth server composed from its config: the one place it is wired (main.ts runs it alone,
// src/platform.ts with the others).
import { openDatabase } from '../shared/db/database';
import { createLogger } from '../shared/logger';
import { serve, type StartOptions, type Started } from '../shared/service/started';
import { createApp } from './app';
import type { AuthConfig } from './config';

export async function startAuth(config: AuthConfig, opts: StartOptions = {}): Promise<Started> {
  const logger = opts.logger ?? createLogger('auth');
  const database = opts.database ?? (await openDatabase({ databaseUrl: config.databaseUrl, dataDir: config.pgliteDir, logger }));
  const app = createApp({ config, logger, db: database.db, dbKind: database.kind });
  return serve(
    opts.host ?? config.host,
    async (host) => (await app.listen({ port: config.port, host }), app.server),
    [() => app.close(), async () => opts.database || database.close()],
  );
}
