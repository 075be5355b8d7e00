import type Redis from 'ioredis';
import type { Logger } from '../../shared/logger';
import type { Lease, RunLeases } from '../ports';
import { dueMembers, REDIS_NOW } from './redis-time';

// KEYS: lease, index. ARGV: owner, leaseMs, member.
// The lease and its index entry are written together: a run is never owned but unindexed
// (nobody would sweep it) or indexed without a lease deadline.
const ACQUIRE = `${REDIS_NOW}
if redis.call('SET', KEYS[1], ARGV[1], 'NX', 'PX', ARGV[2]) then
  redis.call('ZADD', KEYS[2], now + tonumber(ARGV[2]), ARGV[3]) return 1 end
return 0`;
// Claiming a lapsed run: only a run still in the index, and SET NX makes one claimer win.
const CLAIM = `${REDIS_NOW}
if redis.call('ZSCORE', KEYS[2], ARGV[3]) and redis.call('SET', KEYS[1], ARGV[1], 'NX', 'PX', ARGV[2]) then
  redis.call('ZADD', KEYS[2], 'XX', now + tonumber(ARGV[2]), ARGV[3]) return 1 end
return 0`;
const RENEW = `${REDIS_NOW}
if redis.call('GET', KEYS[1]) == ARGV[1] then
  redis.call('PEXPIRE', KEYS[1], ARGV[2])
  redis.call('ZADD', KEYS[2], 'XX', now + tonumber(ARGV[2]), ARGV[3]) return 1 end
return 0`;
// Finished: drop the entry unless another instance has taken the run over meanwhile.
const FINISH = `local v = redis.call('GET', KEYS[1])
if v == ARGV[1] or not v then
  redis.call('DEL', KEYS[1]) redis.call('ZREM', KEYS[2], ARGV[3]) return 1 end
return 0`;
// Graceful shutdown: give the run up and mark it due now, so a sweeper adopts it at once.
const HAND_OVER = `if redis.call('GET', KEYS[1]) == ARGV[1] then
  redis.call('DEL', KEYS[1]) redis.call('ZADD', KEYS[2], 'XX', 0, ARGV[3]) return 1 end
return 0`;

export interface RunLeasesOptions {
  leaseKey: (id: string) => string;
  indexKey: string;
  owner: string;
  leaseMs: number;
  logger: Logger;
}

/**
 * RunLeases over Redis: a lease key per run plus the index of runs not finished yet (a sorted
 * set scored by lease expiry, Redis time). The owner renews both; when it stops (dies, hangs,
 * shuts down), the score passes and any instance's sweeper can claim the run.
 */
export class RedisRunLeases implements RunLeases {
  constructor(
    private readonly redis: Redis,
    private readonly o: RunLeasesOptions,
  ) {}

  /** Takes a fresh run's lease and indexes it; null if someone holds it. */
  acquire(id: string, onLost: () => void): Promise<Lease | null> {
    return this.take(ACQUIRE, id, onLost);
  }

  /** Takes over an indexed run whose lease has lapsed; null if another instance was first. */
  claim(id: string, onLost: () => void): Promise<Lease | null> {
    return this.take(CLAIM, id, onLost);
  }

  /** Runs whose lease has lapsed (by Redis time). */
  async due(max: number): Promise<string[]> {
    return dueMembers(this.redis, this.o.indexKey, max);
  }

  private async take(script: string, id: string, onLost: () => void): Promise<Lease | null> {
    const keys = [this.o.leaseKey(id), this.o.indexKey] as const;
    const args = [this.o.owner, this.o.leaseMs, id] as const;
    if (Number(await this.redis.eval(script, 2, ...keys, ...args)) !== 1) return null;
    let stopped = false;
    const timer = setInterval(() => {
      this.redis.eval(RENEW, 2, ...keys, ...args).then(
        (r) => {
          if (Number(r) === 1 || stopped) return;
          // Someone else owns the run now (our renewals were late): stop driving it.
          this.o.logger.warn({ id }, 'lost the lease of a run');
          stop();
          onLost();
        },
        (err: Error) => this.o.logger.warn({ id, err: err.message }, 'lease renewal failed'),
      );
    }, Math.max(50, Math.floor(this.o.leaseMs / 3)));
    timer.unref();
    const stop = () => {
      stopped = true;
      clearInterval(timer);
    };
    const end = async (script: string) => {
      if (stopped) return;
      stop();
      await this.redis.eval(script, 2, ...keys, ...args);
    };
    return { id, fence: { key: keys[0], owner: this.o.owner }, finish: () => end(FINISH), handOver: () => end(HAND_OVER), stop };
  }
}
