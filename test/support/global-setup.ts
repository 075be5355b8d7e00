import Redis from 'ioredis';
import { Client } from 'pg';
import { testDatabaseBaseUrl } from './pg';
import { testRedisUrl } from './redis';

/**
 * jest globalSetup: the tests run against the real Redis and PostgreSQL, never mocks. When either
 * is missing the whole run fails here with a message that says how to start it — tests must not
 * silently skip.
 */

function redact(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = '***';
    return u.toString();
  } catch {
    return url;
  }
}

function describeError(err: unknown): string {
  if (err instanceof AggregateError && err.errors.length > 0) {
    return err.errors.map(describeError).join('; ');
  }
  if (err instanceof Error) {
    const code = (err as NodeJS.ErrnoException).code;
    return code && !err.message.includes(code) ? `${code}: ${err.message}` : err.message || String(code);
  }
  return String(err);
}

async function checkRedis(url: string): Promise<string | undefined> {
  const redis = new Redis(url, {
    lazyConnect: true,
    connectTimeout: 3000,
    maxRetriesPerRequest: 0,
    enableOfflineQueue: false,
    retryStrategy: () => null,
  });
  // ioredis rejects connect() with a bare "Connection is closed."; keep the socket error (ECONNREFUSED, ...).
  let socketError: unknown;
  redis.on('error', (err: unknown) => {
    socketError = err;
  });
  try {
    await redis.connect();
    const pong = await redis.ping();
    if (pong !== 'PONG') return `Redis at ${redact(url)} answered PING with ${JSON.stringify(pong)}`;
    return undefined;
  } catch (err) {
    return (
      `Redis is not reachable at ${redact(url)} (${describeError(socketError ?? err)}).\n` +
      '  Start it:   redis-server --daemonize yes --bind 127.0.0.1 --port 6379 --save "" --appendonly no\n' +
      '  Install it: apt-get install -y redis-server   (or run .ci/run, which does both)\n' +
      '  Or point the tests at another server with TEST_REDIS_URL.'
    );
  } finally {
    // After a failed connect the client is already 'end'; disconnect() then would arm a 2 s timer
    // on the dead socket and hold the process open.
    if (redis.status !== 'end') redis.disconnect();
  }
}

async function checkPostgres(url: string): Promise<string | undefined> {
  const client = new Client({ connectionString: url, connectionTimeoutMillis: 3000 });
  client.on('error', () => undefined);
  try {
    await client.connect();
    await client.query('SELECT 1');
    return undefined;
  } catch (err) {
    return (
      `PostgreSQL is not reachable at ${redact(url)} (${describeError(err)}).\n` +
      '  Start it:   pg_ctlcluster --skip-systemctl-redirect $(ls /etc/postgresql) main start\n' +
      '  Install it: apt-get install -y postgresql   (or run .ci/run, which installs, starts and sets trust auth)\n' +
      '  Or point the tests at another server with TEST_DATABASE_URL.'
    );
  } finally {
    await client.end().catch(() => undefined);
  }
}

export default async function globalSetup(): Promise<void> {
  const problems = (await Promise.all([checkRedis(testRedisUrl()), checkPostgres(testDatabaseBaseUrl())])).filter(
    (p): p is string => p !== undefined,
  );
  if (problems.length > 0) {
    throw new Error(
      `The tests need the real Redis and PostgreSQL; ${problems.length === 2 ? 'both are' : 'one is'} missing:\n\n` +
        problems.join('\n\n') +
        '\n',
    );
  }
}
