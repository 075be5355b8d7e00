import Redis, { type RedisOptions } from 'ioredis';
import type { Logger } from '../logger';
import { DEFAULT_REDIS_MASTER_NAME, type RedisTarget, redisConnectionOptions } from './options';

/**
 * One ioredis connection to a server (`REDIS_URL`) or to the master Sentinel names. Reconnects
 * forever with capped backoff (a Redis restart or failover must not kill a service); commands
 * issued while disconnected wait in the offline queue. Options come from
 * `redisConnectionOptions`, so `duplicate()`s (subscribers, blocking readers) follow a failover too.
 */
export function createRedis(target: string | RedisTarget, name: string, logger: Logger, extra: RedisOptions = {}): Redis {
  const t: RedisTarget = typeof target === 'string' ? { url: target, masterName: DEFAULT_REDIS_MASTER_NAME } : target;
  const options = redisConnectionOptions(t, name, extra);
  const redis = t.sentinels ? new Redis(options) : new Redis(t.url, options);
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
