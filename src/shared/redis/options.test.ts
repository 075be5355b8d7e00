import { redisTarget, ConfigError } from '../config/env';
import { describeRedisTarget, parseSentinels, reconnectOnReadonly, redisConnectionOptions } from './options';

describe('Redis connection options', () => {
  it('REDIS_URL alone is the single-server case', () => {
    const t = redisTarget({ REDIS_URL: 'redis://r.internal:6380/2' });
    expect(t).toEqual({ url: 'redis://r.internal:6380/2', masterName: 'mymaster' });
    expect(redisConnectionOptions(t, 'x')).not.toHaveProperty('sentinels');
  });

  it('REDIS_SENTINELS and REDIS_MASTER_NAME select Sentinel; REDIS_URL then gives only credentials and db', () => {
    const t = redisTarget({ REDIS_SENTINELS: ' 10.0.0.1:26379, [::1]:26380 ', REDIS_MASTER_NAME: 'dwp', REDIS_URL: 'redis://app:s%40cret@ignored:1/3' });
    expect(t.sentinels).toEqual([
      { host: '10.0.0.1', port: 26379 },
      { host: '::1', port: 26380 },
    ]);
    const o = redisConnectionOptions(t, 'aura', { maxRetriesPerRequest: null });
    expect(o).toMatchObject({ sentinels: t.sentinels, name: 'dwp', username: 'app', password: 's@cret', db: 3, failoverDetector: true, connectionName: 'aura', maxRetriesPerRequest: null });
    expect(describeRedisTarget(t)).toBe('sentinel 10.0.0.1:26379,[::1]:26380 master dwp');
    expect(redisTarget({ REDIS_SENTINELS: 'h:26379' }).masterName).toBe('mymaster');
  });

  it('a malformed REDIS_SENTINELS is a startup error', () => {
    expect(() => redisTarget({ REDIS_SENTINELS: 'h1:26379,h2' })).toThrow(ConfigError);
    expect(() => redisTarget({ REDIS_SENTINELS: 'h1:0' })).toThrow(/host:port/);
    expect(() => parseSentinels(' , ')).toThrow(/names no sentinel/);
  });

  it('reconnects on READONLY without replaying the command', () => {
    expect(reconnectOnReadonly(new Error("READONLY You can't write against a read only replica."))).toBe(1);
    expect(reconnectOnReadonly(new Error('NOREPLICAS Not enough good replicas to write.'))).toBe(false);
  });
});
