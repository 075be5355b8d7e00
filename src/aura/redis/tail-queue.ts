import type { TailListener } from './shared-tail';
import { type XEntry, toEntry } from './stream-entries';
import type { LogEntry } from '../ports';

/**
 * One client's view of a stream: the replay (XRANGE) and the shared tail's live entries merged
 * without gap or duplicate. The client joins the shared tail *before* replaying, so nothing
 * appended in between is missed; live entries that arrive during the replay wait in `pending`,
 * and anything at or below the last position already queued is dropped.
 */
export class TailQueue implements TailListener {
  private last: number;
  private replayDone = false;
  private pending: LogEntry[] = [];
  private readonly queue: LogEntry[] = [];
  private wakeUp: (() => void) | undefined;

  constructor(afterSeq: number) {
    this.last = afterSeq;
  }

  push(entries: XEntry[]): void {
    const es = entries.map(toEntry);
    if (this.replayDone) this.enqueue(es);
    else this.pending.push(...es);
  }

  replayed(entries: LogEntry[]): void {
    this.replayDone = true;
    this.enqueue(entries);
    this.enqueue(this.pending);
    this.pending = [];
  }

  /** The next entry, or null once `signal` aborts. */
  async next(signal: AbortSignal): Promise<LogEntry | null> {
    while (this.queue.length === 0) {
      if (signal.aborted) return null;
      await new Promise<void>((resolve) => {
        const done = () => {
          signal.removeEventListener('abort', done);
          this.wakeUp = undefined;
          resolve();
        };
        this.wakeUp = done;
        signal.addEventListener('abort', done, { once: true });
      });
    }
    return this.queue.shift()!;
  }

  private enqueue(entries: LogEntry[]): void {
    for (const e of entries) {
      if (e.seq <= this.last) continue;
      this.queue.push(e);
      this.last = e.seq;
    }
    if (this.queue.length) this.wakeUp?.();
  }
}
