/** Redis used by the tests: `TEST_REDIS_URL`, default the local server on 6379. */
export const DEFAULT_TEST_REDIS_URL = 'redis://127.0.0.1:6379';

export function testRedisUrl(): string {
  const fromEnv = process.env.TEST_REDIS_URL;
  return fromEnv && fromEnv.trim() !== '' ? fromEnv.trim() : DEFAULT_TEST_REDIS_URL;
}
