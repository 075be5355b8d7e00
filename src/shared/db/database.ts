import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { Kysely, Migrator, PostgresDialect } from 'kysely';
import { PGliteDialect } from 'kysely-pglite-dialect';
import { Pool, types as pgTypes } from 'pg';
import { StaticMigrationProvider } from './migrations';
import type { DB } from './schema';

/** The part of a pino logger this module uses (a pino `Logger` fits). */
export interface DbLogger {
  info(obj: object, msg?: string): void;
  warn(obj: object, msg?: string): void;
  error(obj: object, msg?: string): void;
}

export type DatabaseKind = 'postgres' | 'pglite';

export interface OpenDatabaseOptions {
  /** `DATABASE_URL`: when set, a PostgreSQL server through a `pg` Pool. */
  databaseUrl?: string;
  /** PGlite data folder when `databaseUrl` is unset (default `./data/pglite`; `memory://` for tests). */
  dataDir?: string;
  logger?: DbLogger;
  /** Pool size for PostgreSQL (default 10). */
  poolMax?: number;
}

export interface Database {
  db: Kysely<DB>;
  kind: DatabaseKind;
  /** Where the data lives, safe to log: the URL without password, or the PGlite folder. */
  location: string;
  /** Closes the pool / the embedded database. Safe to call twice. */
  close(): Promise<void>;
}

export const DEFAULT_PGLITE_DATA_DIR = './data/pglite';

// PostgreSQL type OIDs whose parsing we pin so pg and PGlite return the same JS values.
const OID_INT8 = 20;
const OID_DATE = 1082;
const OID_NUMERIC = 1700;

/** bigint/bigserial → number (ids and counts stay far below 2^53; PGlite does this by default). */
const parseInt8 = (value: string): number => Number(value);
/** date → 'YYYY-MM-DD' (pg would build a local-time Date, shifting the day in other time zones). */
const parseDate = (value: string): string => value;
/** numeric → exact decimal string (both drivers' default; pinned so it cannot drift). */
const parseNumeric = (value: string): string => value;

const pgTypeParsers: Record<number, (value: string) => unknown> = {
  [OID_INT8]: parseInt8,
  [OID_DATE]: parseDate,
  [OID_NUMERIC]: parseNumeric,
};

/** Redacts the password of a connection URL for logs and error messages. */
export function redactUrl(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = '***';
    return u.toString();
  } catch {
    return '<unparseable database URL>';
  }
}

/** A readable one-line reason (connection errors are often AggregateErrors with an empty message). */
function errorText(err: unknown): string {
  if (err instanceof AggregateError && err.errors.length > 0) return err.errors.map(errorText).join('; ');
  if (err instanceof Error) {
    const code = (err as NodeJS.ErrnoException).code;
    if (!err.message) return code ?? err.name;
    return code && !err.message.includes(code) ? `${err.message} (${code})` : err.message;
  }
  return String(err);
}

/** Applies every pending migration; returns the names applied now (empty when up to date). */
export async function migrateToLatest(db: Kysely<DB>, logger?: DbLogger): Promise<string[]> {
  const migrator = new Migrator({ db, provider: new StaticMigrationProvider() });
  const { error, results } = await migrator.migrateToLatest();
  const applied: string[] = [];
  for (const r of results ?? []) {
    if (r.status === 'Success') {
      applied.push(r.migrationName);
      logger?.info({ migration: r.migrationName }, 'database migration applied');
    } else if (r.status === 'Error') {
      logger?.error({ migration: r.migrationName }, 'database migration failed');
    }
  }
  if (error) {
    throw new Error(`database migration failed: ${errorText(error)}`, { cause: error });
  }
  return applied;
}

function openPostgres(databaseUrl: string, opts: OpenDatabaseOptions): Omit<Database, 'close'> & { destroy(): Promise<void> } {
  const pool = new Pool({
    connectionString: databaseUrl,
    max: opts.poolMax ?? 10,
    connectionTimeoutMillis: 10_000,
    types: {
      getTypeParser: ((oid: number, format?: string) =>
        pgTypeParsers[oid] ?? pgTypes.getTypeParser(oid, format as 'text')) as typeof pgTypes.getTypeParser,
    },
  });
  // An idle client losing its connection (server restart) must not crash the process.
  pool.on('error', (err) => opts.logger?.warn({ err }, 'idle PostgreSQL connection failed'));
  const db = new Kysely<DB>({ dialect: new PostgresDialect({ pool }) });
  return { db, kind: 'postgres', location: redactUrl(databaseUrl), destroy: () => db.destroy() };
}

/**
 * PGlite's CommonJS build loads `module`, `fs`, `zlib`, ... with dynamic `import()`. Inside
 * jest's module sandbox that needs Node's --experimental-vm-modules; without it the import
 * rejects deep inside PGlite and takes the whole jest process down with an unhandled rejection.
 * Say so up front instead. (Outside jest — tsx, compiled code — nothing is needed.)
 */
function assertPgliteCanLoad(): void {
  const insideJest = process.env.JEST_WORKER_ID !== undefined;
  const flag = '--experimental-vm-modules';
  const flagged = process.execArgv.includes(flag) || (process.env.NODE_OPTIONS ?? '').includes(flag);
  if (insideJest && !flagged) {
    throw new Error(
      `PGlite cannot load inside jest without Node's ${flag} flag (it uses dynamic import()). ` +
        `Run jest with NODE_OPTIONS=${flag}.`,
    );
  }
}

async function openPglite(dataDir: string): Promise<Omit<Database, 'close'> & { destroy(): Promise<void> }> {
  const inMemory = dataDir.startsWith('memory://');
  const location = inMemory ? dataDir : path.resolve(dataDir);
  if (!inMemory) mkdirSync(location, { recursive: true });
  assertPgliteCanLoad();
  const pglite = await PGlite.create({
    dataDir: location,
    parsers: { [OID_INT8]: parseInt8, [OID_DATE]: parseDate, [OID_NUMERIC]: parseNumeric },
  });
  const db = new Kysely<DB>({ dialect: new PGliteDialect(pglite) });
  // The dialect's destroy() closes the PGlite instance.
  return { db, kind: 'pglite', location, destroy: () => db.destroy() };
}

/**
 * Opens the backend's database and migrates it to the latest schema: PostgreSQL when
 * `databaseUrl` is set, otherwise the embedded PGlite persisted under `dataDir`.
 * Only one process may open a given PGlite data folder at a time.
 */
export async function openDatabase(opts: OpenDatabaseOptions = {}): Promise<Database> {
  const databaseUrl = opts.databaseUrl?.trim();
  const opened = databaseUrl
    ? openPostgres(databaseUrl, opts)
    : await openPglite(opts.dataDir?.trim() || DEFAULT_PGLITE_DATA_DIR);

  let closed: Promise<void> | undefined;
  const close = (): Promise<void> => (closed ??= opened.destroy());

  try {
    const applied = await migrateToLatest(opened.db, opts.logger);
    opts.logger?.info(
      { kind: opened.kind, location: opened.location, migrationsApplied: applied },
      'database opened',
    );
  } catch (err) {
    await close().catch(() => undefined);
    throw new Error(`cannot open the ${opened.kind} database at ${opened.location}: ${errorText(err)}`, {
      cause: err,
    });
  }

  return { db: opened.db, kind: opened.kind, location: opened.location, close };
}
