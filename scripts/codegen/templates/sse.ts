import { createParser, type EventSourceMessage } from 'eventsource-parser';
import { SSE_DONE } from '../contract';
import type { ValidateFunction } from 'ajv';

/** One parsed frame of a typed stream. */
export type StreamEvent<E> = { [K in keyof E & string]: { id: string | undefined; event: K; data: E[K] } }[keyof E & string];

export interface StreamRequest {
  url: string;
  method: 'GET' | 'POST';
  headers: Record<string, string>;
  body?: string;
}

export interface StreamOptions {
  /** Resume after this event id (sent as Last-Event-ID). */
  lastEventId?: string;
  /** Reconnect with Last-Event-ID when the connection drops before [DONE]. Default 5. */
  maxReconnects?: number;
  /** Validate every event's data against its schema (throws StreamContractError). Default true. */
  validate?: boolean;
  signal?: AbortSignal;
  /** Called for each `: comment` line (heartbeats). */
  onComment?: (comment: string) => void;
  /** Called when the stream reconnects, with the id it resumes after. */
  onReconnect?: (lastEventId: string | undefined, attempt: number) => void;
}

export class StreamHttpError extends Error {
  constructor(readonly status: number, readonly body: unknown) {
    super(`stream request failed with HTTP ${status}`);
    this.name = 'StreamHttpError';
  }
}

export class StreamContractError extends Error {
  constructor(readonly event: string, readonly errors: unknown) {
    super(`stream event "${event}" does not match its schema: ${JSON.stringify(errors)}`);
    this.name = 'StreamContractError';
  }
}

/**
 * Opens an SSE stream and yields its events as a typed union until `data: [DONE]`.
 * A dropped connection is resumed with `Last-Event-ID`, so the caller sees every event once.
 */
export async function* openEventStream<E>(
  fetchImpl: typeof fetch,
  request: StreamRequest,
  validators: Readonly<Record<string, ValidateFunction>>,
  options: StreamOptions = {},
): AsyncGenerator<StreamEvent<E>, void, undefined> {
  let lastEventId = options.lastEventId;
  const maxReconnects = options.maxReconnects ?? 5;
  const validate = options.validate ?? true;
  for (let attempt = 0; ; attempt++) {
    if (attempt > 0) options.onReconnect?.(lastEventId, attempt);
    const headers: Record<string, string> = { ...request.headers, Accept: 'text/event-stream' };
    if (lastEventId) headers['Last-Event-ID'] = lastEventId;
    let res: Response;
    try {
      res = await fetchImpl(request.url, { method: request.method, headers, body: request.body, signal: options.signal });
    } catch (err) {
      if (options.signal?.aborted || attempt >= maxReconnects) throw err;
      continue;
    }
    if (!res.ok || !res.body) {
      const text = await res.text().catch(() => '');
      let body: unknown = text;
      try {
        body = JSON.parse(text);
      } catch {
        /* not JSON */
      }
      throw new StreamHttpError(res.status, body);
    }
    const queue: EventSourceMessage[] = [];
    const parser = createParser({
      onEvent: (m) => queue.push(m),
      onComment: (c) => options.onComment?.(c),
    });
    const decoder = new TextDecoder();
    const reader = res.body.getReader();
    let done = false;
    try {
      while (!done) {
        let chunk: Awaited<ReturnType<typeof reader.read>>;
        try {
          chunk = await reader.read();
        } catch (err) {
          if (options.signal?.aborted) throw err;
          break; // connection dropped: resume below
        }
        if (chunk.done) break;
        parser.feed(decoder.decode(chunk.value, { stream: true }));
        while (queue.length) {
          const m = queue.shift()!;
          if (m.data === SSE_DONE) {
            done = true;
            break;
          }
          const event = m.event ?? 'message';
          const data = JSON.parse(m.data);
          const v = validators[event];
          if (validate && (!v || !v(data))) throw new StreamContractError(event, v ? v.errors : 'unknown event');
          if (m.id) lastEventId = m.id;
          yield { id: m.id, event, data } as StreamEvent<E>;
        }
      }
    } finally {
      reader.releaseLock();
      if (!done) await res.body.cancel().catch(() => undefined);
    }
    if (done) return;
    if (attempt >= maxReconnects) throw new Error(`stream ended before [DONE] after ${attempt} reconnects`);
  }
}
