import type Redis from 'ioredis';
import type { Logger } from '../../shared/logger';
import type { XEntry } from './stream-entries';

/** Receives a key's new entries, in log order, as the shared reader sees them. */
export interface TailListener {
  push(entries: XEntry[]): void;
}

interface Followed {
  /** Last entry id the shared reader has read for this key. */
  cursor: string;
  listeners: Set<TailListener>;
}

/**
 * One blocking reader connection per process, multiplexing XREAD over every stream that has a
 * live client. A blocked connection serves nobody else, so one per client would cost a Redis
 * connection per open SSE response; this costs one, whatever the number of clients.
 *
 * When a stream is added while XREAD is blocked, the reader is woken with CLIENT UNBLOCK (from
 * the command connection) so the next XREAD includes it at once.
 */
export class SharedTail {
  private readonly followed = new Map<string, Followed>();
  private readonly conn: Redis;
  private clientId: number | null = null;
  /** Bumped on every change to the followed set; `issued` is the generation the current XREAD was built from. */
  private generation = 0;
  private issued = -1;
  private looping = false;
  private closed = false;

  constructor(
    private readonly redis: Redis,
    connectionName: string,
    private readonly blockMs: number,
    private readonly logger: Logger,
  ) {
    this.conn = redis.duplicate({ connectionName, maxRetriesPerRequest: null, enableOfflineQueue: true, lazyConnect: true });
    this.conn.on('error', (err) => logger.debug({ err: err.message }, 'shared tail connection error'));
    // The id changes with every reconnect; CLIENT UNBLOCK needs the current one.
    this.conn.on('ready', () => {
      this.clientId = null;
      this.conn.client('ID').then(
        (id) => (this.clientId = Number(id)),
        () => undefined,
      );
    });
  }

  /**
   * Starts delivering `key`'s entries after `afterId` (or after the shared cursor, if the key
   * is already followed) to `listener`. Returns the function that stops it.
   */
  follow(key: string, afterId: string, listener: TailListener): () => void {
    let f = this.followed.get(key);
    if (!f) {
      f = { cursor: afterId, listeners: new Set() };
      this.followed.set(key, f);
      this.generation++;
      void this.wake();
    }
    f.listeners.add(listener);
    const entry = f;
    return () => {
      entry.listeners.delete(listener);
      if (entry.listeners.size === 0 && this.followed.get(key) === entry) {
        this.followed.delete(key);
        this.generation++; // dropped at the next round; no need to wake the reader for that
      }
    };
  }

  /** How many streams are followed right now. */
  get streams(): number {
    return this.followed.size;
  }

  close(): void {
    this.closed = true;
    this.followed.clear();
    this.conn.disconnect();
  }

  private async wake(): Promise<void> {
    if (!this.looping) {
      void this.loop();
      return;
    }
    // Until an XREAD built from this generation is issued, keep unblocking the stale one. A
    // CLIENT UNBLOCK can arrive before the stale XREAD blocks (then it returns 0): retry briefly.
    const wanted = this.generation;
    for (let i = 0; i < 50 && this.issued < wanted && !this.closed; i++) {
      if (this.clientId !== null) {
        const n = await this.redis.client('UNBLOCK', this.clientId).catch(() => 0);
        if (Number(n) === 1) return;
      }
      await new Promise((r) => setTimeout(r, 2));
    }
  }

  private async loop(): Promise<void> {
    this.looping = true;
    try {
      if (this.conn.status === 'wait') await this.conn.connect().catch(() => undefined);
      while (!this.closed && this.followed.size > 0) {
        this.issued = this.generation;
        const keys = [...this.followed.keys()];
        const ids = keys.map((k) => this.followed.get(k)!.cursor);
        let res: [string, XEntry[]][] | null;
        try {
          res = (await this.conn.xread('COUNT', 500, 'BLOCK', this.blockMs, 'STREAMS', ...keys, ...ids)) as [string, XEntry[]][] | null;
        } catch (err) {
          if (this.closed) return;
          // Connection trouble: ioredis reconnects; cursors are kept, so nothing is skipped.
          this.logger.warn({ err: (err as Error).message }, 'shared tail read failed; retrying');
          await new Promise((r) => setTimeout(r, 100));
          continue;
        }
        if (!res) continue; // timed out or unblocked: rebuild the key list
        for (const [key, entries] of res) {
          const f = this.followed.get(key);
          if (!f || entries.length === 0) continue;
          f.cursor = entries[entries.length - 1][0];
          for (const l of [...f.listeners]) l.push(entries);
        }
      }
    } finally {
      this.looping = false;
      // A stream added just as the loop was leaving must not be left unread.
      if (!this.closed && this.followed.size > 0) void this.loop();
    }
  }
}
