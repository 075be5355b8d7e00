import type Redis from 'ioredis';
import { pingRedis } from '../../shared/redis/connection';
import type { HealthProbe } from '../ports';

/** HealthProbe over the command connection: PING within a second. */
export function redisHealth(redis: Redis): HealthProbe {
  return { ping: () => pingRedis(redis) };
}
