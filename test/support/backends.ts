import { type Database, type DbLogger, openDatabase } from '../../src/shared/db/database';
import { createTestDatabase } from './pg';

/** The two databases the platform runs on: a PostgreSQL server, or the embedded PGlite. */
export type Backend = 'postgres' | 'pglite';
export const BACKENDS: readonly Backend[] = ['postgres', 'pglite'];

/** A fresh, migrated database on `kind`; `cleanup` closes it (and drops the PostgreSQL one). */
export async function openTestBackend(kind: Backend, logger?: DbLogger): Promise<{ database: Database; cleanup(): Promise<void> }> {
  if (kind === 'postgres') {
    const tdb = await createTestDatabase();
    const database = await openDatabase({ databaseUrl: tdb.url, ...(logger ? { logger } : {}) });
    return {
      database,
      async cleanup() {
        await database.close();
        await tdb.drop();
      },
    };
  }
  const database = await openDatabase({ dataDir: 'memory://', ...(logger ? { logger } : {}) });
  return { database, cleanup: () => database.close() };
}
