import type { HistoryRow } from './history';

/** The history columns the gateway writes, in insert order, with their PostgreSQL types. */
export const HISTORY_COLUMNS = {
  tenant_id: 'text',
  user_id: 'text',
  agent_id: 'text',
  source: 'text',
  method: 'text',
  path: 'text',
  query_string: 'text',
  status_code: 'int4',
  latency_ms: 'int4',
  request_size: 'int8',
  response_size: 'int8',
  ip: 'text',
  user_agent: 'text',
  trace_id: 'text',
  error_code: 'text',
} as const satisfies Record<keyof HistoryRow, string>;

export type HistoryColumn = keyof typeof HISTORY_COLUMNS;
export const HISTORY_COLUMN_NAMES = Object.keys(HISTORY_COLUMNS) as HistoryColumn[];

/**
 * Buffered history rows stored as one array per column (plus the time each was recorded).
 * A row is copied in as it is recorded and its object dies young; a batch goes to the
 * database as one array per column (`unnest`), i.e. 16 parameters instead of one per cell.
 */
export class HistoryColumns {
  readonly values: Record<HistoryColumn, unknown[]>;
  /** When each row was recorded, epoch milliseconds (its `created_at`). */
  at: number[];

  constructor(values?: Record<HistoryColumn, unknown[]>, at?: number[]) {
    this.at = at ?? [];
    if (values) this.values = values;
    else {
      const v = {} as Record<HistoryColumn, unknown[]>;
      for (const c of HISTORY_COLUMN_NAMES) v[c] = [];
      this.values = v;
    }
  }

  get length(): number {
    return this.at.length;
  }

  push(row: HistoryRow, at: number): void {
    const v = this.values;
    for (const c of HISTORY_COLUMN_NAMES) v[c].push(row[c] ?? null);
    this.at.push(at);
  }

  /** Removes and returns the oldest `n` rows. */
  take(n: number): HistoryColumns {
    const v = {} as Record<HistoryColumn, unknown[]>;
    for (const c of HISTORY_COLUMN_NAMES) v[c] = this.values[c].splice(0, n);
    return new HistoryColumns(v, this.at.splice(0, n));
  }

  /** Puts rows back in front (a batch that failed to write). */
  prepend(batch: HistoryColumns): void {
    for (const c of HISTORY_COLUMN_NAMES) this.values[c] = batch.values[c].concat(this.values[c]);
    this.at = batch.at.concat(this.at);
  }

  /** Drops the oldest `n` rows. */
  dropOldest(n: number): void {
    for (const c of HISTORY_COLUMN_NAMES) this.values[c].splice(0, n);
    this.at.splice(0, n);
  }

  /** Row `i` as recorded (tests, and callers that want rows back). */
  row(i: number): HistoryRow & { at: number } {
    const out = { at: this.at[i] } as HistoryRow & { at: number };
    for (const c of HISTORY_COLUMN_NAMES) (out as Record<string, unknown>)[c] = this.values[c][i];
    return out;
  }
}
