import type Redis from 'ioredis';

/**
 * Lua that sets `now` to the Redis server's time in milliseconds: deadlines in sorted-set
 * scores are compared on one clock, so instances with skewed clocks still agree on "lapsed".
 */
export const REDIS_NOW = `local t = redis.call('TIME') local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)`;

// KEYS: sorted set. ARGV: max.
const DUE = `${REDIS_NOW}
return redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', now, 'LIMIT', 0, tonumber(ARGV[1]))`;

/** Members of a deadline-scored sorted set whose deadline (Redis time) has passed, at most `max`. */
export async function dueMembers(redis: Redis, key: string, max: number): Promise<string[]> {
  return (await redis.eval(DUE, 1, key, max)) as string[];
}
