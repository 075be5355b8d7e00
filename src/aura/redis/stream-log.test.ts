// Fenced appends on the real Redis: an append made under a lease another instance now holds
// (or that nobody holds) is refused, and nothing reaches the log.
import Redis from 'ioredis';
import { testRedisUrl } from '../../../test/support/redis';
import { LogEmitter } from '../streams/emitter';
import { FencedError } from '../streams/stream-log';
import { RedisStreamLog } from './stream-log';
import type { SharedTail } from './shared-tail';

const redis = new Redis(testRedisUrl());
const tag = `fence-test-${process.pid}-${Date.now()}`;
const streamKey = (id: string) => `test:${tag}:stream:${id}`;
const leaseKey = `test:${tag}:lease`;

afterAll(async () => {
  await redis.del(streamKey('s1'), streamKey('s2'), leaseKey);
  redis.disconnect();
});

const log = () => new RedisStreamLog(redis, streamKey, 60, {} as SharedTail);

it('appends while the lease is this owner’s, and refuses once it is another’s or nobody’s', async () => {
  const l = log();
  const fence = { key: leaseKey, owner: 'instance-a' };
  await redis.set(leaseKey, 'instance-a', 'PX', 60_000);
  expect(await l.append('s1', 'start', '{"n":1}', fence)).toBe(1);
  await redis.set(leaseKey, 'instance-b', 'PX', 60_000);
  await expect(l.append('s1', 'thought', '{"n":2}', fence)).rejects.toBeInstanceOf(FencedError);
  await expect(l.finish('s1', fence)).rejects.toBeInstanceOf(FencedError);
  await redis.del(leaseKey);
  await expect(l.append('s1', 'thought', '{"n":2}', fence)).rejects.toBeInstanceOf(FencedError);
  expect((await l.range('s1', 0)).map((e) => e.event)).toEqual(['start']);
  // Every append refreshes the stream's TTL.
  expect(await redis.ttl(streamKey('s1'))).toBeGreaterThan(0);
});

it('an emitter made under a lease carries the fence to every append and to finish', async () => {
  const l = log();
  await redis.set(leaseKey, 'instance-a', 'PX', 60_000);
  const e = new LogEmitter<{ start: { n: number } }>(l, 's2', { start: Object.assign(() => true, {}) }, { key: leaseKey, owner: 'instance-a' });
  expect(await e.emit('start', { n: 1 })).toBe(1);
  await redis.set(leaseKey, 'instance-b', 'PX', 60_000);
  await expect(e.emit('start', { n: 2 })).rejects.toBeInstanceOf(FencedError);
  await expect(e.finish()).rejects.toBeInstanceOf(FencedError);
  expect(await l.lastSeq('s2')).toBe(1);
});
