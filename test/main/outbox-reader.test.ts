// The outbox reader's own rules, on a stream of its own in the real Redis: the cursor passes an
// entry only once it is taken, a database failure is retried, an entry the database never
// takes is skipped after a few tries, and entries trimmed unread are reported.
import Redis from 'ioredis';
import type { IngestOutcome } from '../../src/main/notifications/ingest';
import { type OutboxCursor, startOutboxReader } from '../../src/main/notifications/outbox-reader';
import { OUTBOX_FIELD } from '../../src/shared/redis/workbench-outbox';
import { silentLogger } from './support';
import { testRedisUrl } from '../support/redis';

const redis = new Redis(testRedisUrl());
const key = `test:outbox-reader:${process.pid}:${Date.now()}`;
afterAll(async () => {
  await redis.del(key);
  redis.disconnect();
});

function memoryCursor(initial: string | null): OutboxCursor & { value: string | null } {
  return {
    value: initial,
    async get() {
      return this.value;
    },
    async set(id) {
      this.value = id;
    },
  };
}

const append = (m: string) => redis.xadd(key, '*', OUTBOX_FIELD.channel, 'workbench:test', OUTBOX_FIELD.message, m) as Promise<string>;

it('passes an entry only once it is taken; a failure is retried on the next pass, a poison entry skipped after five', async () => {
  const a = await append('a');
  await append('b');
  const c = await append('c');
  const cursor = memoryCursor('0-0');
  const seen: string[] = [];
  let failB = 100;
  const reader = startOutboxReader({
    redis,
    key,
    cursor,
    logger: silentLogger,
    intervalMs: 3_600_000,
    onMessage: async (_channel, raw): Promise<IngestOutcome> => {
      const m = raw.toString();
      seen.push(m);
      if (m === 'b' && failB-- > 0) return 'failed';
      return 'stored';
    },
  });
  try {
    await reader.catchUp();
    expect(seen).toEqual(['a', 'b']);
    expect(cursor.value).toBe(a);
    // Failing again: still at `a`; the fifth failure in a row skips `b` (the database took the cursor, so it is up).
    for (let i = 0; i < 3; i++) await reader.catchUp();
    expect(cursor.value).toBe(a);
    await reader.catchUp();
    expect(cursor.value).toBe(c);
    expect(seen).toEqual(['a', 'b', 'b', 'b', 'b', 'b', 'c']);
    expect(reader.status()).toMatchObject({ skipped: 1, recovered: 2, cursor: c });
  } finally {
    reader.stop();
  }
});

it('a database that comes back gets the entry it failed', async () => {
  const d = await append('d');
  const cursor = memoryCursor((await redis.xrevrange(key, '(' + d, '-', 'COUNT', 1))[0]![0]);
  let down = true;
  const stored: string[] = [];
  const reader = startOutboxReader({
    redis,
    key,
    cursor,
    logger: silentLogger,
    intervalMs: 3_600_000,
    onMessage: async (_c, raw): Promise<IngestOutcome> => {
      if (down) return 'failed';
      stored.push(raw.toString());
      return 'stored';
    },
  });
  try {
    await reader.catchUp();
    expect(stored).toEqual([]);
    down = false;
    await reader.catchUp();
    expect(stored).toEqual(['d']);
    expect(cursor.value).toBe(d);
  } finally {
    reader.stop();
  }
});

it('reports entries trimmed from the outbox before this cursor read them', async () => {
  const cursor = memoryCursor(await append('e'));
  await redis.xadd(key, '*', OUTBOX_FIELD.channel, 'workbench:test', OUTBOX_FIELD.message, 'f');
  // Trim everything but the newest entry: `f` was never read.
  await redis.xadd(key, 'MAXLEN', '=', 1, '*', OUTBOX_FIELD.channel, 'workbench:test', OUTBOX_FIELD.message, 'g');
  const reader = startOutboxReader({ redis, key, cursor, logger: silentLogger, intervalMs: 3_600_000, onMessage: async () => 'stored' });
  try {
    await reader.catchUp();
    expect(reader.status()).toMatchObject({ trimmedUnread: true, recovered: 1 });
  } finally {
    reader.stop();
  }
});
