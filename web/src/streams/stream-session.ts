// One followed SSE stream (an agent run, an analysis run): the frames seen so far, the
// connection state, and the last event id. The SDK does the HTTP, the parsing, the reconnects
// and the Last-Event-ID resume; this keeps what was shown, so a page reload restores it from
// sessionStorage and rejoins after the last event it had, and no frame is shown twice.
import { useSyncExternalStore } from 'react';

export interface Frame {
  id: string | undefined;
  event: string;
  data: unknown;
}

export type ConnState = 'idle' | 'connecting' | 'open' | 'reconnecting' | 'closed' | 'failed';

export interface StreamSnapshot<F extends Frame> {
  frames: readonly F[];
  state: ConnState;
  error: unknown;
  /** The stream reached `[DONE]`. */
  done: boolean;
  lastEventId: string | undefined;
  /** Anything the owner stores beside the frames (the run's id, the prompt). */
  meta: Record<string, string>;
}

export interface OpenArgs {
  lastEventId: string | undefined;
  signal: AbortSignal;
  onState(state: ConnState): void;
}

export type Opener<F extends Frame> = (args: OpenArgs) => AsyncIterable<F>;

interface Stored {
  frames: Frame[];
  lastEventId?: string;
  done: boolean;
  meta: Record<string, string>;
}

/** The bench's hook: when a frame reached the page (before React renders it). */
interface PerfHook {
  received(id: string | undefined): void;
}
declare global {
  interface Window {
    __dwpPerf?: PerfHook;
  }
}

const SAVE_EVERY_MS = 400;

// Frames the SDK has already buffered are handed over one microtask after another, so a backlog
// (a burst, a replay of a long run) would be parsed and rendered in one task that freezes the
// page for as long as the whole backlog takes. After this long, or this many frames (what one
// render costs grows with the rows it adds), the loop gives the page a turn: the queued render
// runs first, then the browser can paint, then the loop goes on.
const SLICE_MS = 8;
const SLICE_FRAMES = 200;

function nextTask(): Promise<void> {
  return new Promise((resolve) => {
    const ch = new MessageChannel();
    ch.port1.onmessage = () => {
      ch.port1.close();
      resolve();
    };
    ch.port2.postMessage(null);
  });
}

export class StreamSession<F extends Frame> {
  private frames: F[] = [];
  private readonly seen = new Set<string>();
  private state: ConnState = 'idle';
  private error: unknown = undefined;
  private done = false;
  private lastEventId: string | undefined;
  private meta: Record<string, string> = {};
  private snapshot: StreamSnapshot<F>;
  private readonly listeners = new Set<() => void>();
  private abort: AbortController | null = null;
  private publishQueued = false;
  private saveTimer: ReturnType<typeof setTimeout> | undefined;
  private readonly channel = new MessageChannel();

  constructor(
    private readonly storageKey: string | null,
    private readonly onFrame?: (frame: F) => void,
  ) {
    this.restore();
    this.snapshot = this.makeSnapshot();
    // Frames of one network read arrive in one task: render them together, right after it.
    this.channel.port1.onmessage = () => this.publish();
    if (storageKey) addEventListener('pagehide', () => this.save());
  }

  get(): StreamSnapshot<F> {
    return this.snapshot;
  }

  subscribe = (l: () => void): (() => void) => {
    this.listeners.add(l);
    return () => this.listeners.delete(l);
  };

  /** A stored stream that did not reach its end: rejoin it with `resume`. */
  get unfinished(): boolean {
    return !this.done && (this.frames.length > 0 || Object.keys(this.meta).length > 0);
  }

  get running(): boolean {
    return this.abort !== null;
  }

  /** Starts afresh: forgets what was shown and follows a new stream. */
  start(open: Opener<F>, meta: Record<string, string> = {}): void {
    this.forget(meta);
    void this.follow(open);
  }

  /** Follows on from the last frame shown (after a reload, or a stream that failed). */
  resume(open: Opener<F>): void {
    if (this.running || this.done) return;
    this.error = undefined;
    void this.follow(open);
  }

  stop(): void {
    this.abort?.abort();
    this.abort = null;
  }

  /** Forgets the stream and what was stored of it. */
  clear(): void {
    this.forget({});
    this.state = 'idle';
    if (this.storageKey) sessionStorage.removeItem(this.storageKey);
    this.publish();
  }

  private forget(meta: Record<string, string>): void {
    this.stop();
    this.frames = [];
    this.seen.clear();
    this.done = false;
    this.error = undefined;
    this.lastEventId = undefined;
    this.meta = meta;
  }

  private async follow(open: Opener<F>): Promise<void> {
    const ac = new AbortController();
    this.abort = ac;
    this.setState('connecting');
    try {
      let sliceStart = performance.now();
      let sliceFrames = 0;
      for await (const f of open({ lastEventId: this.lastEventId, signal: ac.signal, onState: (s) => this.setState(s) })) {
        if (ac.signal.aborted) return;
        window.__dwpPerf?.received(f.id);
        if (++sliceFrames > SLICE_FRAMES || performance.now() - sliceStart >= SLICE_MS) {
          await nextTask();
          sliceStart = performance.now();
          sliceFrames = 1;
          if (ac.signal.aborted) return;
        }
        if (f.id !== undefined) {
          if (this.seen.has(f.id)) continue;
          this.seen.add(f.id);
          this.lastEventId = f.id;
        }
        this.frames.push(f);
        this.onFrame?.(f);
        this.queuePublish();
      }
      if (ac.signal.aborted) return;
      this.done = true;
      this.state = 'closed';
      this.publish();
      this.save();
    } catch (err) {
      if (ac.signal.aborted) return;
      this.error = err;
      this.state = 'failed';
      this.publish();
      this.save();
    } finally {
      if (this.abort === ac) this.abort = null;
    }
  }

  private setState(s: ConnState): void {
    if (s === this.state) return;
    this.state = s;
    this.queuePublish();
  }

  private queuePublish(): void {
    if (this.publishQueued) return;
    this.publishQueued = true;
    this.channel.port2.postMessage(null);
  }

  private publish(): void {
    this.publishQueued = false;
    this.snapshot = this.makeSnapshot();
    for (const l of this.listeners) l();
    this.scheduleSave();
  }

  private makeSnapshot(): StreamSnapshot<F> {
    return { frames: this.frames.slice(), state: this.state, error: this.error, done: this.done, lastEventId: this.lastEventId, meta: this.meta };
  }

  private scheduleSave(): void {
    if (!this.storageKey || this.saveTimer) return;
    this.saveTimer = setTimeout(() => this.save(), SAVE_EVERY_MS);
  }

  // Frames and the id to resume after are saved together, so a reload neither skips nor repeats.
  private save(): void {
    clearTimeout(this.saveTimer);
    this.saveTimer = undefined;
    if (!this.storageKey || this.frames.length === 0) return;
    const stored: Stored = { frames: this.frames, lastEventId: this.lastEventId, done: this.done, meta: this.meta };
    try {
      sessionStorage.setItem(this.storageKey, JSON.stringify(stored));
    } catch {
      // Over quota: a reload then replays the stream from its start instead.
      sessionStorage.removeItem(this.storageKey);
    }
  }

  private restore(): void {
    if (!this.storageKey) return;
    try {
      const raw = sessionStorage.getItem(this.storageKey);
      if (!raw) return;
      const s = JSON.parse(raw) as Stored;
      if (!Array.isArray(s.frames)) return;
      this.frames = s.frames as F[];
      for (const f of this.frames) if (f.id !== undefined) this.seen.add(f.id);
      this.lastEventId = s.lastEventId;
      this.done = s.done === true;
      this.meta = s.meta ?? {};
      this.state = this.done ? 'closed' : 'idle';
    } catch {
      sessionStorage.removeItem(this.storageKey);
    }
  }
}

export function useStreamSession<F extends Frame>(session: StreamSession<F>): StreamSnapshot<F> {
  return useSyncExternalStore(session.subscribe, () => session.get());
}
