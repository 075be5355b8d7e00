import type Redis from 'ioredis';
import type { Fence, LogEntry, StreamLog, TailOptions } from '../ports';
import { DONE_ENTRY, FencedError } from '../streams/stream-log';
import type { SharedTail } from './shared-tail';
import { type XEntry, seqOf, toEntry } from './stream-entries';
import { TailQueue } from './tail-queue';

// KEYS: stream, lease. ARGV: event, data, ttl, owner. The append and its lease check are one
// step: between a separate check and the XADD the lease could pass to another instance.
const FENCED_APPEND = `
if redis.call('GET', KEYS[2]) ~= ARGV[4] then return redis.error_reply('FENCED the run lease belongs to another owner') end
local id = redis.call('XADD', KEYS[1], '0-*', 'e', ARGV[1], 'd', ARGV[2])
redis.call('EXPIRE', KEYS[1], ARGV[3])
return id`;

/**
 * StreamLog over Redis Streams. Appends refresh the TTL; replays use the command connection
 * (XRANGE never blocks); live entries come from the process's one shared tail.
 */
export class RedisStreamLog implements StreamLog {
  constructor(
    private readonly redis: Redis,
    private readonly keyOf: (streamId: string) => string,
    private readonly ttlSeconds: number,
    private readonly shared: SharedTail,
  ) {}

  async append(streamId: string, event: string, data: string, fence: Fence): Promise<number> {
    try {
      return seqOf(String(await this.redis.eval(FENCED_APPEND, 2, this.keyOf(streamId), fence.key, event, data, this.ttlSeconds, fence.owner)));
    } catch (err) {
      if (/^(ERR )?FENCED\b/.test((err as Error).message)) throw new FencedError();
      throw err;
    }
  }

  finish(streamId: string, fence: Fence): Promise<number> {
    return this.append(streamId, DONE_ENTRY, '', fence);
  }

  async range(streamId: string, afterSeq: number): Promise<LogEntry[]> {
    // `(` makes the start exclusive: exactly the entries after the position.
    const raw = (await this.redis.xrange(this.keyOf(streamId), `(0-${afterSeq}`, '+')) as XEntry[];
    return raw.map(toEntry);
  }

  async lastSeq(streamId: string): Promise<number | null> {
    const key = this.keyOf(streamId);
    const last = (await this.redis.xrevrange(key, '+', '-', 'COUNT', 1)) as XEntry[];
    if (last.length) return seqOf(last[0][0]);
    return null;
  }

  async *tail(streamId: string, afterSeq: number, options: TailOptions): AsyncGenerator<LogEntry> {
    const key = this.keyOf(streamId);
    const queue = new TailQueue(afterSeq);
    // Join the live tail first, then replay: an entry appended in between is in one or the other.
    const leave = this.shared.follow(key, `0-${afterSeq}`, queue);
    try {
      queue.replayed(await this.range(streamId, afterSeq));
      for (;;) {
        const entry = await queue.next(options.signal);
        if (!entry) return;
        yield entry;
        if (entry.event === DONE_ENTRY) return;
      }
    } finally {
      leave();
    }
  }
}
