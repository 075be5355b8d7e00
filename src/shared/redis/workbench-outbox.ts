import type Redis from 'ioredis';
import { type RedisPublisher, workbenchOutboxKey } from '../../../generated/redis';

/**
 * The workbench outbox (`workbenchOutbox` in asyncapi.yaml): every NOTIFICATION published on a
 * `WORKBENCH_PATTERN` channel is also appended to one Redis Stream, in the same MULTI as the PUBLISH,
 * so a subscriber that missed the PUBLISH can read it later.
 */

/** Entry fields: the channel, and the message exactly as published. */
export const OUTBOX_FIELD = { channel: 'c', message: 'm' } as const;
/** Approximate length the stream is trimmed to (XADD MAXLEN ~). */
export const OUTBOX_MAXLEN = 10_000;

export const outboxKey = (): string => workbenchOutboxKey({});

/** A publisher for the generated publish helpers: append to the outbox and publish, atomically. */
export function outboxPublisher(redis: Redis, key: string = outboxKey()): RedisPublisher {
  return {
    async publish(channel, message) {
      const results = await redis
        .multi()
        .xadd(key, 'MAXLEN', '~', OUTBOX_MAXLEN, '*', OUTBOX_FIELD.channel, channel, OUTBOX_FIELD.message, message)
        .publish(channel, message)
        .exec();
      if (!results) throw new Error('workbench outbox: transaction aborted');
      for (const [err] of results) if (err) throw err;
      return Number(results[1][1]);
    },
  };
}

export interface OutboxEntry {
  id: string;
  channel: string;
  message: string;
}

/** Entries after `afterId` (exclusive), oldest first, at most `count`. */
export async function readOutbox(redis: Redis, afterId: string, count: number, key: string = outboxKey()): Promise<OutboxEntry[]> {
  const raw = await redis.xrange(key, `(${afterId}`, '+', 'COUNT', count);
  return raw.map(([id, fields]) => {
    const entry: OutboxEntry = { id, channel: '', message: '' };
    for (let i = 0; i + 1 < fields.length; i += 2) {
      if (fields[i] === OUTBOX_FIELD.channel) entry.channel = fields[i + 1];
      else if (fields[i] === OUTBOX_FIELD.message) entry.message = fields[i + 1];
    }
    return entry;
  });
}

/** The id of the newest entry, or `0-0` when the stream is empty or absent. */
export async function outboxTail(redis: Redis, key: string = outboxKey()): Promise<string> {
  const last = await redis.xrevrange(key, '+', '-', 'COUNT', 1);
  return last[0]?.[0] ?? '0-0';
}

/** The id of the oldest entry still kept, or null when the stream is empty or absent. */
export async function outboxHead(redis: Redis, key: string = outboxKey()): Promise<string | null> {
  const first = await redis.xrange(key, '-', '+', 'COUNT', 1);
  return first[0]?.[0] ?? null;
}

/** Compares two stream ids (`ms-seq`). */
export function compareStreamIds(a: string, b: string): number {
  const [am, as] = a.split('-').map(Number);
  const [bm, bs] = b.split('-').map(Number);
  return am !== bm ? am - bm : as - bs;
}
