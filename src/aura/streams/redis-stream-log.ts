import type Redis from 'ioredis';
import type { SharedTail } from './shared-tail';
import { type XEntry, seqOf, toEntry } from './stream-entries';
import { DONE_ENTRY, type LogEntry, type StreamLog, type TailOptions } from './stream-log';
import { TailQueue } from './tail-queue';

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

  async append(streamId: string, event: string, data: string): Promise<number> {
    const key = this.keyOf(streamId);
    const res = await this.redis.multi().xadd(key, '0-*', 'e', event, 'd', data).expire(key, this.ttlSeconds).exec();
    const [err, id] = res?.[0] ?? [new Error('XADD returned nothing'), null];
    if (err) throw err;
    return seqOf(id as string);
  }

  finish(streamId: string): Promise<number> {
    return this.append(streamId, DONE_ENTRY, '');
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
