import { type Kysely, sql } from 'kysely';
import type { DB } from '../shared/db/schema';
import type { Logger } from '../shared/logger';
import type { HistoryCounters, HistoryRow, HistorySink } from './history';
import { HISTORY_COLUMN_NAMES, HISTORY_COLUMNS, HistoryColumns } from './history-columns';

export interface KyselyHistoryOptions {
  batchSize: number;
  flushIntervalMs: number;
  /** Rows held while the database is slow or down; beyond it the oldest are dropped and counted. */
  maxBuffered: number;
  counters?: HistoryCounters;
  logger?: Pick<Logger, 'warn' | 'info'>;
}

/**
 * Writes history rows to `sys_api_call_histories` in batches, one insert at a time, off the
 * request path. A failed batch goes back to the front of the buffer and is retried on the
 * next tick, so a database outage shorter than the buffer loses nothing. Each row keeps the
 * time it was recorded as its `created_at`, not the time its batch happened to be written.
 *
 * A batch is one `INSERT … SELECT … FROM unnest(<one array per column>)`: a row-per-VALUES
 * insert of 500 rows is 7,500 parameters for the gateway to build and PostgreSQL to parse,
 * which made history cost more CPU per request than the proxying itself.
 */
export class KyselyHistorySink implements HistorySink {
  private buffer = new HistoryColumns();
  private inFlight: Promise<void> | null = null;
  private inFlightRows = 0;
  private readonly timer: NodeJS.Timeout;
  private closed = false;
  private failing = false;

  constructor(
    private readonly db: Kysely<DB>,
    private readonly opts: KyselyHistoryOptions,
  ) {
    this.timer = setInterval(() => void this.flush(), opts.flushIntervalMs);
    this.timer.unref();
  }

  record(row: HistoryRow): void {
    if (this.closed) {
      this.opts.counters?.dropped(1);
      return;
    }
    this.buffer.push(row, Date.now());
    this.trim();
    if (this.buffer.length >= this.opts.batchSize && !this.inFlight && !this.failing) void this.flush();
  }

  /** Rows not yet written, including a batch being written now. */
  buffered(): number {
    return this.buffer.length + this.inFlightRows;
  }

  private trim(): void {
    const over = this.buffer.length + this.inFlightRows - this.opts.maxBuffered;
    if (over > 0) {
      // Drop the oldest: the newest rows describe the outage best.
      this.buffer.dropOldest(over);
      this.opts.counters?.dropped(over);
    }
  }

  /** Writes one batch; resolves when it is written or has failed. */
  flush(): Promise<void> {
    if (this.inFlight) return this.inFlight;
    if (this.buffer.length === 0) return Promise.resolve();
    const batch = this.buffer.take(this.opts.batchSize);
    this.inFlightRows = batch.length;
    this.inFlight = insertBatch(this.db, batch)
      .then(
        () => {
          this.inFlightRows = 0;
          this.opts.counters?.written(batch.length);
          if (this.failing) this.opts.logger?.info({ rows: batch.length }, 'API call history writes recovered');
          this.failing = false;
        },
        (err: unknown) => {
          if (!this.failing) this.opts.logger?.warn({ err: (err as Error).message }, 'API call history write failed; buffering');
          this.failing = true;
          this.inFlightRows = 0;
          this.buffer.prepend(batch);
          this.trim();
        },
      )
      .finally(() => {
        this.inFlight = null;
      });
    return this.inFlight;
  }

  /** Drains the buffer until it is empty, a write fails, or `timeoutMs` passes; the rest is counted as dropped. */
  async close(timeoutMs = 5_000): Promise<void> {
    this.closed = true;
    clearInterval(this.timer);
    const deadline = Date.now() + timeoutMs;
    while (this.buffer.length > 0 && Date.now() < deadline) {
      await this.flush();
      if (this.failing) break;
    }
    if (this.inFlight) await this.inFlight;
    if (this.buffer.length > 0) {
      this.opts.counters?.dropped(this.buffer.length);
      this.opts.logger?.warn({ rows: this.buffer.length }, 'API call history rows lost at shutdown');
      this.buffer = new HistoryColumns();
    }
  }
}

const COLUMN_REFS = sql.join(HISTORY_COLUMN_NAMES.map((c) => sql.ref(c)));

async function insertBatch(db: Kysely<DB>, batch: HistoryColumns): Promise<void> {
  const arrays = sql.join(HISTORY_COLUMN_NAMES.map((c) => sql`${batch.values[c]}::${sql.raw(HISTORY_COLUMNS[c])}[]`));
  await sql`insert into ${sql.table('sys_api_call_histories')} (${COLUMN_REFS}, created_at)
    select ${COLUMN_REFS}, to_timestamp(recorded_ms / 1000.0)
    from unnest(${arrays}, ${batch.at}::float8[]) as batch(${COLUMN_REFS}, recorded_ms)`.execute(db);
}
