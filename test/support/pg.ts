import { randomBytes } from 'node:crypto';
import { Client } from 'pg';

/** Server used by the tests: `TEST_DATABASE_URL`, default the local PostgreSQL (trust auth). */
export const DEFAULT_TEST_DATABASE_URL = 'postgres://postgres@127.0.0.1:5432/postgres';

export function testDatabaseBaseUrl(): string {
  const fromEnv = process.env.TEST_DATABASE_URL;
  return fromEnv && fromEnv.trim() !== '' ? fromEnv.trim() : DEFAULT_TEST_DATABASE_URL;
}

export interface TestDatabase {
  /** Connection URL of the fresh database. */
  url: string;
  /** The database's name (lower-case, safe to quote). */
  name: string;
  /** Terminates remaining connections and drops the database. Safe to call twice. */
  drop(): Promise<void>;
}

function quoteIdent(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}

async function withAdminClient<T>(baseUrl: string, fn: (client: Client) => Promise<T>): Promise<T> {
  const client = new Client({ connectionString: baseUrl, connectionTimeoutMillis: 5000 });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

/**
 * Creates a fresh, uniquely named database on the real PostgreSQL server so every test file gets
 * its own schema and migrations run from scratch. Call `drop()` in `afterAll`.
 */
export async function createTestDatabase(): Promise<TestDatabase> {
  const baseUrl = testDatabaseBaseUrl();
  const name = `dwp_test_${Date.now().toString(36)}_${process.pid}_${randomBytes(4).toString('hex')}`;
  await withAdminClient(baseUrl, (client) => client.query(`CREATE DATABASE ${quoteIdent(name)}`));

  const url = new URL(baseUrl);
  url.pathname = `/${name}`;

  let dropped = false;
  return {
    url: url.toString(),
    name,
    async drop() {
      if (dropped) return;
      dropped = true;
      await withAdminClient(baseUrl, async (client) => {
        await client.query(
          'SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()',
          [name],
        );
        await client.query(`DROP DATABASE IF EXISTS ${quoteIdent(name)} WITH (FORCE)`);
      });
    },
  };
}
