import Redis, { type RedisOptions } from 'ioredis';
import type { Logger } from '../logger';

/**
 * One ioredis connection. Reconnects forever with capped backoff (a Redis restart must not
 * kill a service); commands issued while disconnected wait in the offline queue.
 */
export function createRedis(url: string, name: string, logger: Logger, extra: RedisOptions = {}): Redis {
  const redis = new Redis(url, {
    connectionName: name,
    maxRetriesPerRequest: 3,
    retryStrategy: (times) => Math.min(50 * 2 ** Math.min(times, 6), 2000),
    lazyConnect: false,
    ...extra,
  });
  let wasReady = false;
  redis.on('ready', () => {
    if (wasReady) logger.info({ redis: name }, 'redis reconnected');
    wasReady = true;
  });
  redis.on('error', (err) => logger.warn({ redis: name, err: err.message }, 'redis error'));
  return redis;
}

export async function pingRedis(redis: Redis, timeoutMs = 1000): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  try {
    const r = await Promise.race([
      redis.ping(),
      new Promise<never>((_, rej) => {
        timer = setTimeout(() => rej(new Error('timeout')), timeoutMs);
      }),
    ]);
    return r === 'PONG';
  } catch {
    return false;
  } finally {
    if (timer) clearTimeout(timer);
  }
}
