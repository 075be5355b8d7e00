import type Redis from 'ioredis';
import type { Kysely } from 'kysely';
import type { DB } from '../../shared/db/schema';
import type { Logger } from '../../shared/logger';
import { compareStreamIds, outboxHead, outboxKey, outboxTail, readOutbox } from '../../shared/redis/workbench-outbox';
import type { WorkbenchHandler } from './ingest';

/** Passes in a row an entry may fail, the database being reachable, before it is skipped. */
const MAX_FAILURES = 5;

/** Where this database has read the workbench outbox up to (a narrow port; the table below). */
export interface OutboxCursor {
  get(): Promise<string | null>;
  set(lastId: string): Promise<void>;
}

export function createDbOutboxCursor(db: Kysely<DB>, consumer = 'main'): OutboxCursor {
  return {
    async get() {
      const row = await db.selectFrom('workbench_outbox_cursor').select('last_id').where('consumer', '=', consumer).executeTakeFirst();
      return row?.last_id ?? null;
    },
    async set(lastId) {
      const now = new Date();
      await db
        .insertInto('workbench_outbox_cursor')
        .values({ consumer, last_id: lastId, updated_at: now })
        .onConflict((oc) => oc.column('consumer').doUpdateSet({ last_id: lastId, updated_at: now }))
        .execute();
    },
  };
}

export interface OutboxReaderStatus {
  /** The last outbox entry this database has taken in. */
  cursor: string | null;
  /** Entries read from the outbox that the live subscription had not delivered (or had failed to store). */
  recovered: number;
  /** Entries the database refused on every try (skipped so the rest can go on). */
  skipped: number;
  /** The outbox was trimmed past the cursor: entries may have gone unread (lost). */
  trimmedUnread: boolean;
  lastError: string | null;
}

export interface OutboxReader {
  /** Reads on from the cursor to the end of the outbox; concurrent calls share one pass. */
  catchUp(): Promise<void>;
  status(): OutboxReaderStatus;
  stop(): void;
}

/**
 * Reads the workbench outbox on from this database's cursor, through the same handler as the
 * live subscription: run after every (re)subscription and every `intervalMs`. Messages the
 * live subscription already stored are duplicates (their dedupe keys), so each event is one row
 * however it arrived. The cursor only passes an entry once it is stored, a duplicate or
 * invalid: a database failure stops the pass there, and the next pass retries it. A database
 * with no cursor yet starts at the outbox's current end.
 */
export function startOutboxReader(o: {
  redis: Redis;
  cursor: OutboxCursor;
  onMessage: WorkbenchHandler;
  logger: Logger;
  intervalMs: number;
  pageSize?: number;
  key?: string;
}): OutboxReader {
  const key = o.key ?? outboxKey();
  const pageSize = o.pageSize ?? 200;
  const st: OutboxReaderStatus = { cursor: null, recovered: 0, skipped: 0, trimmedUnread: false, lastError: null };
  let failingId = '';
  let failures = 0;
  let running: Promise<void> | null = null;
  let again = false;
  let stopped = false;

  async function pass(): Promise<void> {
    // The database is read once; after that `st.cursor` is what was last written there.
    let from = st.cursor ?? (await o.cursor.get());
    if (from === null) {
      from = await outboxTail(o.redis, key);
      await o.cursor.set(from);
      st.cursor = from;
      return;
    }
    st.cursor = from;
    await checkTrimmed(from);
    for (;;) {
      const entries = await readOutbox(o.redis, from, pageSize, key);
      let advanced = false;
      for (const e of entries) {
        const outcome = await o.onMessage(e.channel, e.message);
        if (outcome === 'failed') {
          // Stop here; the next pass starts again at this entry. Writing the cursor also tells
          // whether the database is reachable: an entry that keeps failing while it is, is one
          // the database will never take (a poison message), and must not block the ones after.
          await o.cursor.set(from);
          st.cursor = from;
          if (e.id === failingId) failures++;
          else {
            failingId = e.id;
            failures = 1;
          }
          if (failures < MAX_FAILURES) return;
          o.logger.error({ entry: e.id, channel: e.channel }, 'workbench outbox: entry refused by the database on every try; skipped');
          st.skipped++;
        }
        if (outcome === 'stored') st.recovered++;
        from = e.id;
        advanced = true;
      }
      if (advanced) {
        await o.cursor.set(from);
        st.cursor = from;
      }
      if (entries.length < pageSize) return;
    }
  }

  async function checkTrimmed(from: string): Promise<void> {
    // The cursor's own entry is gone and the oldest kept is newer: the stream was trimmed past
    // the cursor (the reader fell a whole MAXLEN behind), so entries after it may be lost.
    if (from === '0-0' || st.trimmedUnread) return;
    const head = await outboxHead(o.redis, key);
    if (head !== null && compareStreamIds(head, from) > 0) {
      st.trimmedUnread = true;
      o.logger.error({ cursor: from, oldestKept: head }, "workbench outbox was trimmed past this database's cursor: notifications may be lost");
    }
  }

  function catchUp(): Promise<void> {
    if (stopped) return Promise.resolve();
    if (running) {
      again = true;
      return running;
    }
    running = (async () => {
      do {
        again = false;
        try {
          await pass();
          st.lastError = null;
        } catch (err) {
          st.lastError = (err as Error).message;
          o.logger.warn({ err: st.lastError }, 'workbench outbox: pass failed; retried on the next one');
        }
      } while (again && !stopped);
    })().finally(() => {
      running = null;
    });
    return running;
  }

  const timer = setInterval(() => void catchUp(), o.intervalMs);
  timer.unref();
  return {
    catchUp,
    status: () => ({ ...st }),
    stop() {
      stopped = true;
      clearInterval(timer);
    },
  };
}
