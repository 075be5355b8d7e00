import { createParser, type EventSourceMessage } from 'eventsource-parser';
import { HEADERS, SSE_DONE } from '../contract';
import { asNetworkError, DwpApiError, readErrorResponse, type FetchFn, type Validator } from './http';

/** One parsed frame of a typed stream. */
export type StreamEvent<E> = { [K in keyof E & string]: { id: string | undefined; event: K; data: E[K] } }[keyof E & string];

/** Event name → validator of its `data`. */
export type EventValidators = Readonly<Record<string, Validator>>;

export type StreamState = 'connecting' | 'open' | 'reconnecting' | 'closed' | 'failed';

export interface StreamStateChange {
  state: StreamState;
  /** 0 on the first connection; else the retry number within the current outage. */
  attempt: number;
  /** How long it waits before this reconnect (state `reconnecting`). */
  delayMs?: number;
  lastEventId?: string;
  /** Why it is reconnecting, or why it failed. */
  error?: unknown;
}

export interface StreamRequest {
  url: string;
  method: 'GET' | 'POST';
  headers: Record<string, string>;
  body?: string;
  /** When given (or when the function resolves to some), every event's data is checked. */
  validators?: EventValidators | (() => Promise<EventValidators | undefined>);
  /** Sees every HTTP error before it is thrown. */
  onHttpError?: (err: StreamHttpError) => void;
}

export interface StreamOptions {
  /** Resume after this event id (sent as Last-Event-ID). */
  lastEventId?: string;
  /** Consecutive failed attempts before giving up; a healthy connection starts the count again. Default 8. */
  maxReconnects?: number;
  /** First reconnect delay before jitter (the server's `retry:` replaces it). Default 500. */
  initialDelayMs?: number;
  /** Cap of the exponential backoff. Default 15000. */
  maxDelayMs?: number;
  /** A connection that stayed open this long, or delivered an event, was healthy. Default 5000. */
  healthyAfterMs?: number;
  /** Source of the jitter, in [0, 1); inject for tests. Default Math.random. */
  random?: () => number;
  /** false: do not check events even though the client has validators. */
  validate?: boolean;
  signal?: AbortSignal;
  /** Called for each `: comment` line (heartbeats). */
  onComment?: (comment: string) => void;
  /** Called right before a reconnect, with the id it resumes after. */
  onReconnect?: (lastEventId: string | undefined, attempt: number) => void;
  onState?: (s: StreamStateChange) => void;
}

/** A non-2xx answer to a stream request: a DwpApiError, so one `instanceof` covers both. */
export class StreamHttpError extends DwpApiError {
  constructor(...args: ConstructorParameters<typeof DwpApiError>) {
    super(...args);
    this.name = 'StreamHttpError';
    this.message = `stream request failed with HTTP ${this.status}${this.errorCode ? ` (${this.errorCode})` : ''}`;
  }
}

export class StreamContractError extends Error {
  constructor(
    readonly event: string,
    readonly errors: unknown,
  ) {
    super(`stream event "${event}" does not match its schema: ${JSON.stringify(errors)}`);
    this.name = 'StreamContractError';
  }
}

/** The connection dropped before `[DONE]` more often in a row than `maxReconnects` allows. */
export class StreamInterruptedError extends Error {
  constructor(readonly attempts: number) {
    super(`stream ended before [DONE] after ${attempts} failed attempt(s)`);
    this.name = 'StreamInterruptedError';
  }
}

/** Gateway and proxy answers that mean "not now" rather than "no". */
const RETRYABLE_STATUS = new Set([502, 503, 504]);

function sleep(ms: number, signal: AbortSignal | undefined): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal!.reason);
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

/** Full jitter: anywhere between 0 and the exponential step, so many clients do not reconnect in step. */
function backoff(failures: number, baseMs: number, maxMs: number, random: () => number): number {
  return Math.round(random() * Math.min(maxMs, baseMs * 2 ** (failures - 1)));
}

/**
 * Why one connection ended: `retry` says whether another attempt may help; no `error` means the
 * server closed the stream before [DONE].
 */
class Attempt {
  constructor(
    readonly error: unknown,
    readonly retry: boolean,
  ) {}
}

/**
 * Opens an SSE stream and yields its events as a typed union until `data: [DONE]`.
 * A dropped connection is resumed with `Last-Event-ID` after a jittered, growing delay, so the
 * caller sees every event once; an outage longer than `maxReconnects` attempts ends it.
 */
export async function* openEventStream<E>(
  fetchFn: FetchFn,
  request: StreamRequest,
  options: StreamOptions = {},
): AsyncGenerator<StreamEvent<E>, void, undefined> {
  const { signal, onState } = options;
  const maxReconnects = options.maxReconnects ?? 8;
  const maxDelayMs = options.maxDelayMs ?? 15_000;
  const healthyAfterMs = options.healthyAfterMs ?? 5_000;
  const random = options.random ?? Math.random;
  let lastEventId = options.lastEventId;
  let serverRetryMs: number | undefined;
  let failures = 0;
  let lastError: unknown;
  let failed = false;
  const source = options.validate === false ? undefined : request.validators;
  const validators = typeof source === 'function' ? await source() : source;
  try {
    for (;;) {
      if (failures > 0) {
        const delayMs = backoff(failures, serverRetryMs ?? options.initialDelayMs ?? 500, maxDelayMs, random);
        onState?.({ state: 'reconnecting', attempt: failures, delayMs, lastEventId, error: lastError });
        await sleep(delayMs, signal);
        options.onReconnect?.(lastEventId, failures);
      }
      onState?.({ state: 'connecting', attempt: failures, lastEventId });
      const headers: Record<string, string> = { ...request.headers, Accept: 'text/event-stream' };
      if (lastEventId) headers[HEADERS.LAST_EVENT_ID] = lastEventId;
      const init: RequestInit = { method: request.method, headers, body: request.body, signal };
      let res: Response;
      let healthy = false;
      try {
        try {
          res = await fetchFn(request.url, init);
        } catch (err) {
          throw new Attempt(asNetworkError(err, request.url, signal), !signal?.aborted);
        }
        if (!res.ok || !res.body) {
          const err = new StreamHttpError(...(await readErrorResponse(res)));
          if (failures > 0 && RETRYABLE_STATUS.has(res.status)) throw new Attempt(err, true);
          request.onHttpError?.(err);
          throw new Attempt(err, false);
        }
        onState?.({ state: 'open', attempt: failures, lastEventId });
        const openedAt = Date.now();
        const queue: EventSourceMessage[] = [];
        const parser = createParser({
          onEvent: (m) => queue.push(m),
          onComment: (c) => options.onComment?.(c),
          onRetry: (ms) => (serverRetryMs = ms),
        });
        const reader = res.body.getReader();
        const decoder = new TextDecoder();
        try {
          for (;;) {
            let chunk: Awaited<ReturnType<typeof reader.read>>;
            try {
              chunk = await reader.read();
            } catch (err) {
              throw new Attempt(asNetworkError(err, request.url, signal), !signal?.aborted);
            } finally {
              healthy ||= Date.now() - openedAt >= healthyAfterMs;
            }
            if (chunk.done) throw new Attempt(undefined, true);
            parser.feed(decoder.decode(chunk.value, { stream: true }));
            while (queue.length) {
              const m = queue.shift()!;
              if (m.data === SSE_DONE) return;
              const event = m.event ?? 'message';
              let data: unknown;
              try {
                data = JSON.parse(m.data);
              } catch {
                throw new StreamContractError(event, 'data is not JSON');
              }
              const v = validators?.[event];
              if (validators && (!v || !v(data))) throw new StreamContractError(event, v ? v.errors : 'unknown event');
              if (m.id) lastEventId = m.id;
              healthy = true;
              yield { id: m.id, event, data } as StreamEvent<E>;
            }
          }
        } finally {
          await reader.cancel().catch(() => undefined);
        }
      } catch (caught) {
        if (!(caught instanceof Attempt)) throw caught;
        if (!caught.retry) throw caught.error;
        if (healthy) failures = 0;
        failures++;
        lastError = caught.error ?? new StreamInterruptedError(failures);
        if (failures > maxReconnects) throw lastError;
      }
    }
  } catch (err) {
    if (!signal?.aborted) {
      failed = true;
      onState?.({ state: 'failed', attempt: failures, lastEventId, error: err });
    }
    throw err;
  } finally {
    // [DONE], an abort, or a consumer that stopped iterating: each ends the stream on purpose.
    if (!failed) onState?.({ state: 'closed', attempt: failures, lastEventId });
  }
}
