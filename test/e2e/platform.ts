// The four services on port 0 against the real Redis and a fresh PostgreSQL database.
import { startPlatform, type Platform } from '../../src/platform';
import { JWT_SECRET } from '../support/auth';
import { createTestDatabase } from '../support/pg';
import { testRedisUrl } from '../support/redis';

export async function startTestPlatform(env: Record<string, string> = {}): Promise<{ platform: Platform; stop(): Promise<void> }> {
  const db = await createTestDatabase();
  const platform = await startPlatform(
    {
      NODE_ENV: 'test',
      DATABASE_URL: db.url,
      REDIS_URL: testRedisUrl(),
      JWT_SECRET,
      GATEWAY_PORT: '0',
      AUTH_PORT: '0',
      MAIN_PORT: '0',
      AURA_PORT: '0',
      ...env,
    },
    { seed: true, logLevel: 'silent', host: '127.0.0.1' },
  ).catch(async (err) => {
    await db.drop();
    throw err;
  });
  return {
    platform,
    async stop() {
      await platform.close();
      await db.drop();
    },
  };
}
