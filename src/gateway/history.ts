// API call history: one row per request. The port keeps the request path free of the
// database: `record` only enqueues, an adapter writes later.
import type { NewApiCallHistory } from '../shared/db/schema';

export type HistoryRow = Omit<NewApiCallHistory, 'id' | 'created_at'>;

export interface HistorySink {
  /** Never blocks and never throws. */
  record(row: HistoryRow): void;
  /** Writes what is buffered (bounded wait) and stops. */
  close(): Promise<void>;
  /** Rows waiting to be written. */
  buffered(): number;
}

export interface HistoryCounters {
  written(n: number): void;
  dropped(n: number): void;
}

/** Status 499 is what the gateway records when the client went away before the answer. */
export const CLIENT_CLOSED_STATUS = 499;

export function errorCodeFor(status: number): string | null {
  if (status === CLIENT_CLOSED_STATUS) return 'CLIENT_CLOSED';
  if (status === 504) return 'GATEWAY_TIMEOUT';
  if (status >= 500) return 'SERVER_ERROR';
  if (status >= 400) return 'CLIENT_ERROR';
  return null;
}

/** Keeps nothing; for a gateway run without a database. */
export const nullHistorySink: HistorySink = {
  record() {},
  async close() {},
  buffered: () => 0,
};

/** Collects rows in memory (tests, and callers that want to inspect the rows). */
export class MemoryHistorySink implements HistorySink {
  readonly rows: HistoryRow[] = [];
  record(row: HistoryRow): void {
    this.rows.push(row);
  }
  async close(): Promise<void> {}
  buffered(): number {
    return 0;
  }
}
