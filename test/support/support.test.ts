import { Client } from 'pg';
import Redis from 'ioredis';
import globalSetup from './global-setup';
import { createTestDatabase, testDatabaseBaseUrl } from './pg';
import { testRedisUrl } from './redis';

async function databaseExists(name: string): Promise<boolean> {
  const client = new Client({ connectionString: testDatabaseBaseUrl() });
  await client.connect();
  try {
    const r = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
    return r.rowCount === 1;
  } finally {
    await client.end();
  }
}

describe('test support', () => {
  const saved = { db: process.env.TEST_DATABASE_URL, redis: process.env.TEST_REDIS_URL };
  afterEach(() => {
    if (saved.db === undefined) delete process.env.TEST_DATABASE_URL;
    else process.env.TEST_DATABASE_URL = saved.db;
    if (saved.redis === undefined) delete process.env.TEST_REDIS_URL;
    else process.env.TEST_REDIS_URL = saved.redis;
  });

  it('globalSetup passes when Redis and PostgreSQL answer', async () => {
    await expect(globalSetup()).resolves.toBeUndefined();
  });

  it('globalSetup fails (does not skip) and names the missing service and how to start it', async () => {
    // Port 1 is privileged and never has a Redis or PostgreSQL listening.
    process.env.TEST_REDIS_URL = 'redis://127.0.0.1:1';
    await expect(globalSetup()).rejects.toThrow(
      /Redis is not reachable at redis:\/\/127\.0\.0\.1:1 \(.*ECONNREFUSED.*\)[\s\S]*redis-server/,
    );
    delete process.env.TEST_REDIS_URL;

    process.env.TEST_DATABASE_URL = 'postgres://postgres@127.0.0.1:1/postgres';
    const err = await globalSetup().then(
      () => undefined,
      (e: unknown) => e as Error,
    );
    expect(err?.message).toMatch(/PostgreSQL is not reachable/);
    expect(err?.message).toMatch(/pg_ctlcluster/);
    expect(err?.message).not.toMatch(/Redis is not reachable/);
  });

  it('createTestDatabase creates a fresh database and drop() removes it even with open connections', async () => {
    const tdb = await createTestDatabase();
    expect(tdb.name).toMatch(/^dwp_test_[a-z0-9_]+$/);
    expect(await databaseExists(tdb.name)).toBe(true);

    const client = new Client({ connectionString: tdb.url });
    client.on('error', () => undefined); // the drop terminates this connection
    await client.connect();
    const r = await client.query<{ db: string }>('SELECT current_database() AS db');
    expect(r.rows[0]?.db).toBe(tdb.name);

    await tdb.drop();
    expect(await databaseExists(tdb.name)).toBe(false);
    await tdb.drop(); // idempotent
    await client.end().catch(() => undefined);
  });

  it('testRedisUrl points at a Redis that answers', async () => {
    const redis = new Redis(testRedisUrl(), { lazyConnect: true, maxRetriesPerRequest: 1 });
    await redis.connect();
    try {
      expect(await redis.ping()).toBe('PONG');
    } finally {
      redis.disconnect();
    }
  });
});
