// The one SSE reader of the suites: a client over a real socket that validates every event
// against the schema the spec gives it for the operation. Waits are event-driven (a frame or
// comment arriving), each bounded by a deadline.
import { createParser } from 'eventsource-parser';
import { HEADERS, SSE_DONE } from '../../generated/contract';
import { operations } from '../../generated/server/operations';

export interface Frame {
  id?: string;
  event: string;
  data: any;
  /** The data line(s) as sent. */
  raw: string;
}

export type SseOperation = keyof typeof operations;

export interface SseOptions {
  /** Sent as Last-Event-ID (resume after this event). */
  lastEventId?: string;
}

export class SseStream {
  readonly frames: Frame[] = [];
  readonly comments: string[] = [];
  /** `[DONE]` arrived. */
  done = false;
  status = 0;
  headers: Headers | undefined;
  /** The body of an answer that is not an event stream (an error before the stream opened), as text and parsed. */
  text: string | undefined;
  errorBody: any;
  /** Resolves when the stream has ended, been cut, or failed. */
  readonly finished: Promise<void>;
  private readonly ac = new AbortController();
  private listeners: (() => void)[] = [];
  private failure: Error | undefined;
  private ended = false;

  constructor(url: string, init: RequestInit, readonly operationId: SseOperation, opts: SseOptions = {}) {
    const validators = (operations[operationId].sseEvents ?? {}) as Record<string, ((x: unknown) => boolean) & { errors?: unknown }>;
    const headers = new Headers(init.headers);
    if (opts.lastEventId !== undefined) headers.set(HEADERS.LAST_EVENT_ID, opts.lastEventId);
    this.finished = (async () => {
      try {
        const res = await fetch(url, { ...init, headers, signal: this.ac.signal });
        this.status = res.status;
        this.headers = res.headers;
        this.notify();
        if (!res.body || !res.headers.get('content-type')?.startsWith('text/event-stream')) {
          this.text = await res.text();
          try {
            this.errorBody = JSON.parse(this.text);
          } catch {
            this.errorBody = undefined;
          }
          return;
        }
        const parser = createParser({
          onComment: (c) => {
            this.comments.push(c);
            this.notify();
          },
          onEvent: (m) => {
            if (m.data === SSE_DONE) {
              this.done = true;
              return this.notify();
            }
            const event = m.event ?? 'message';
            const data = JSON.parse(m.data);
            const v = validators[event];
            if (!v) throw new Error(`event "${event}" is not an event of ${operationId}`);
            if (!v(data)) throw new Error(`event "${event}" does not match its schema: ${JSON.stringify(v.errors)} — ${m.data}`);
            this.frames.push({ id: m.id, event, data, raw: m.data });
            this.notify();
          },
        });
        const reader = res.body.getReader();
        const dec = new TextDecoder();
        for (;;) {
          const { done, value } = await reader.read();
          if (done) break;
          parser.feed(dec.decode(value, { stream: true }));
        }
      } catch (err) {
        if (!this.ac.signal.aborted) this.failure = err as Error;
      } finally {
        this.ended = true;
        this.notify();
      }
    })();
  }

  private notify(): void {
    for (const l of this.listeners.splice(0)) l();
  }

  private describe(): string {
    return `(events: ${this.frames.map((f) => f.event).join(',')})`;
  }

  /** Resolves when `pred` holds (checked on every frame/comment); rejects at the deadline, on an off-contract event, or if the stream ends first. */
  async until(pred: (s: SseStream) => boolean, what: string, deadlineMs = 15_000): Promise<void> {
    const deadline = Date.now() + deadlineMs;
    for (;;) {
      if (this.failure) throw this.failure;
      if (pred(this)) return;
      if (this.ended) throw new Error(`${this.operationId}: stream ended before: ${what} ${this.describe()}`);
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`${this.operationId}: timed out waiting for: ${what} ${this.describe()}`);
      await new Promise<void>((resolve) => {
        const t = setTimeout(done, left);
        function done() {
          clearTimeout(t);
          resolve();
        }
        this.listeners.push(done);
      });
    }
  }

  /** Waits for the response head (the server side has the request), e.g. before acting on what the stream should see. */
  async opened(deadlineMs = 15_000): Promise<void> {
    await this.until((s) => s.status !== 0, 'the response head', deadlineMs);
  }

  /** The first frame matching `pred`, waiting for it as `until` does. */
  async first(pred: (f: Frame) => boolean, what: string, deadlineMs = 15_000): Promise<Frame> {
    await this.until((s) => s.frames.some(pred), what, deadlineMs);
    return this.frames.find(pred)!;
  }

  /** The first frame of this event type, if one has arrived. */
  event(name: string): Frame | undefined {
    return this.frames.find((f) => f.event === name);
  }

  /** Reads to `[DONE]` and the end of the response. */
  async toEnd(deadlineMs = 15_000): Promise<void> {
    await this.until((s) => s.done, '[DONE]', deadlineMs);
    await this.finished;
    if (this.failure) throw this.failure;
  }

  /** Cuts the connection (the client goes away). */
  cut(): void {
    this.ac.abort();
  }
}

/** Opens `url` as an SSE stream of `operationId` (see SseStream). */
export function openSse(url: string, init: RequestInit, operationId: SseOperation, opts: SseOptions = {}): SseStream {
  return new SseStream(url, init, operationId, opts);
}
