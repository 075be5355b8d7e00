/** One logged SSE event: its position, its `event:` name and its already-validated JSON line. */
export interface LogEntry {
  seq: number;
  event: string;
  data: string;
}

/** The entry that stands for the final `data: [DONE]` (never sent as an event). */
export const DONE_ENTRY = '__done';

/**
 * A fencing condition for appends: the lease key must still hold this owner. A process that
 * was paused past its lease (and whose run another instance has taken over) cannot append.
 */
export interface Fence {
  key: string;
  owner: string;
}

/** An append refused because the run's lease is no longer this process's. */
export class FencedError extends Error {
  constructor(message = 'the run is driven by another instance now') {
    super(message);
    this.name = 'FencedError';
  }
}

export interface TailOptions {
  signal: AbortSignal;
}

/**
 * The per-stream event log every SSE response is served from: the producer appends, any number
 * of readers (in any instance) replay after a position and then follow live.
 */
export interface StreamLog {
  /** Appends one event; resolves to its sequence number (1, 2, ...). FencedError unless the fence holds. */
  append(streamId: string, event: string, data: string, fence: Fence): Promise<number>;
  /** Marks the stream finished (readers then end with `[DONE]`). */
  finish(streamId: string, fence: Fence): Promise<number>;
  /** Every logged entry after `afterSeq` (what a takeover needs to know about the run so far). */
  range(streamId: string, afterSeq: number): Promise<LogEntry[]>;
  /** The last sequence number, or null when there is no such log (unknown or expired). */
  lastSeq(streamId: string): Promise<number | null>;
  /** Entries after `afterSeq`, then live ones, until the DONE entry (yielded) or the signal aborts. */
  tail(streamId: string, afterSeq: number, options: TailOptions): AsyncGenerator<LogEntry>;
}
