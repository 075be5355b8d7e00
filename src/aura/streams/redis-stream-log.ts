import type Redis from 'ioredis';
import type { Logger } from '../../shared/logger';
import { DONE_ENTRY, type LogEntry, type StreamLog, type TailOptions } from './stream-log';

type XEntry = [id: string, fields: string[]];

function seqOf(id: string): number {
  // Entry ids are `0-{seq}`: XADD `0-*` lets Redis number them, atomically and without a counter.
  return Number(id.slice(id.indexOf('-') + 1));
}

function toEntry([id, fields]: XEntry): LogEntry {
  let event = '';
  let data = '';
  for (let i = 0; i + 1 < fields.length; i += 2) {
    if (fields[i] === 'e') event = fields[i + 1];
    else if (fields[i] === 'd') data = fields[i + 1];
  }
  return { seq: seqOf(id), event, data };
}

/**
 * StreamLog over Redis Streams. Appends refresh the TTL; live readers block in XREAD on a
 * connection of their own (a blocked connection cannot serve anyone else), closed with the reader.
 */
export class RedisStreamLog implements StreamLog {
  constructor(
    private readonly redis: Redis,
    private readonly keyOf: (streamId: string) => string,
    private readonly ttlSeconds: number,
    private readonly blockMs: number,
    private readonly logger: Logger,
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
    const conn = this.redis.duplicate({ connectionName: 'aura-tail', maxRetriesPerRequest: null, enableOfflineQueue: true });
    conn.on('error', (err) => this.logger.debug({ err: err.message }, 'stream reader connection error'));
    const stop = () => conn.disconnect();
    options.signal.addEventListener('abort', stop, { once: true });
    let last = afterSeq;
    try {
      while (!options.signal.aborted) {
        let res: [string, XEntry[]][] | null;
        try {
          res = (await conn.xread('COUNT', 200, 'BLOCK', this.blockMs, 'STREAMS', key, `0-${last}`)) as [string, XEntry[]][] | null;
        } catch (err) {
          if (options.signal.aborted) return;
          throw err;
        }
        if (!res) {
          if (options.onIdle) await options.onIdle();
          continue;
        }
        for (const raw of res[0][1]) {
          const entry = toEntry(raw);
          last = entry.seq;
          yield entry;
          if (entry.event === DONE_ENTRY) return;
        }
      }
    } finally {
      options.signal.removeEventListener('abort', stop);
      conn.disconnect();
    }
  }
}
