import type { IncomingHttpHeaders, OutgoingHttpHeaders } from 'node:http';
import type { Dispatcher } from 'undici';
import type { Instance, UpstreamPool } from './upstream-pool';

export type UpstreamFailure = 'refused' | 'timeout' | 'reset' | 'aborted';

export class UpstreamError extends Error {
  constructor(
    readonly kind: UpstreamFailure,
    message: string,
  ) {
    super(message);
    this.name = 'UpstreamError';
  }
}

/** The upstream's answer once its headers are in; the body goes to the handler's sink. */
export interface UpstreamResponse {
  readonly statusCode: number;
  readonly headers: IncomingHttpHeaders;
  /** Backpressure: stop reading the upstream's body until resume(). */
  pause(): void;
  resume(): void;
}

/** Receives the body of an upstream response. */
export interface ResponseSink {
  onData(chunk: Buffer): void;
  onEnd(): void;
  /** The response broke after its headers (reset, idle limit between body bytes). */
  onBroken(err: Error): void;
}

export interface UpstreamHandlers {
  /** Headers received: returns where the body goes. Called at most once. */
  onResponse(res: UpstreamResponse): ResponseSink;
  /** No response: every instance refused, a limit passed, the connection reset, or destroy(). Called at most once. */
  onFailure(err: UpstreamError): void;
}

export interface UpstreamCall {
  /** Cuts the upstream request at once (client went away). */
  destroy(): void;
}

export interface CallOptions {
  method: string;
  path: string;
  headers: OutgoingHttpHeaders;
  body: Buffer | null;
  /** Per-attempt hook: a refused instance is reported here before the next one is tried. */
  onRefused?: (inst: Instance) => void;
}

// Errors that mean no byte reached the instance, so another instance may be tried.
const CONNECT_ERRORS = new Set(['ECONNREFUSED', 'EHOSTUNREACH', 'ENETUNREACH', 'ENOTFOUND', 'EAI_AGAIN', 'UND_ERR_CONNECT_TIMEOUT']);
// A keep-alive connection the upstream closed just as it was reused: one retry, for methods
// that may be repeated (undici also drops connections before the upstream's keep-alive hint).
const RESET_ERRORS = new Set(['ECONNRESET', 'EPIPE', 'UND_ERR_SOCKET']);
const IDEMPOTENT = new Set(['GET', 'HEAD', 'OPTIONS', 'PUT', 'DELETE']);
// Never sent upstream: undici frames the request itself (and refuses these), and the body is
// read in full, so an `Expect: 100-continue` has been dealt with by this server already.
const NOT_FORWARDED = new Set(['host', 'connection', 'keep-alive', 'transfer-encoding', 'upgrade', 'expect']);

const ABORTED = new UpstreamError('aborted', 'client went away');

/**
 * Sends one request upstream over the instance's undici pool (keep-alive). The body is already
 * read in full, so a request that never reached an instance (refused, connect timeout) is
 * safely sent to the next one. Once the headers are in, the body is handed to the sink chunk by
 * chunk as it arrives, with backpressure through pause/resume.
 */
export function callUpstream(pool: UpstreamPool, opts: CallOptions, handlers: UpstreamHandlers): UpstreamCall {
  const call = new Call(pool, opts, handlers);
  call.attempt(0, false);
  return call;
}

class Call implements UpstreamCall {
  readonly order: Instance[];
  /** Name/value pairs, as undici takes them. Host is undici's, from the instance's origin. */
  readonly headers: string[] = [];
  current: Attempt | null = null;
  /** onResponse or onFailure has been called. */
  settled = false;
  destroyed = false;

  constructor(
    readonly pool: UpstreamPool,
    readonly opts: CallOptions,
    readonly handlers: UpstreamHandlers,
  ) {
    this.order = pool.order();
    const h = opts.headers;
    for (const name in h) {
      const v = h[name];
      if (v === undefined || NOT_FORWARDED.has(name)) continue;
      if (Array.isArray(v)) for (const x of v) this.headers.push(name, x);
      else this.headers.push(name, String(v));
    }
  }

  attempt(i: number, retriedReset: boolean): void {
    const inst = this.order[i];
    const a = new Attempt(this, inst, i, retriedReset);
    this.current = a;
    inst.dispatcher.dispatch({ origin: inst.url.origin, method: this.opts.method as Dispatcher.HttpMethod, path: this.opts.path, headers: this.headers, body: this.opts.body }, a);
  }

  fail(err: UpstreamError): void {
    if (this.settled) return;
    this.settled = true;
    this.handlers.onFailure(err);
  }

  /** An attempt failed before any response. */
  attemptFailed(a: Attempt, err: Error & { code?: string }): void {
    if (this.destroyed || this.settled) return this.fail(ABORTED);
    const code = err.code ?? '';
    const { pool } = this;
    if (CONNECT_ERRORS.has(code)) {
      pool.markDown(a.inst);
      this.opts.onRefused?.(a.inst);
      if (a.index + 1 < this.order.length) return this.attempt(a.index + 1, a.retriedReset);
      return this.fail(new UpstreamError(code === 'UND_ERR_CONNECT_TIMEOUT' ? 'timeout' : 'refused', `${pool.name}: ${code}`));
    }
    if (code === 'UND_ERR_HEADERS_TIMEOUT') return this.fail(new UpstreamError('timeout', `${pool.name}: upstream idle timeout`));
    if (RESET_ERRORS.has(code) && !a.retriedReset && IDEMPOTENT.has(this.opts.method)) return this.attempt(a.index, true);
    this.fail(new UpstreamError('reset', `${pool.name}: ${code || err.message}`));
  }

  destroy(): void {
    if (this.destroyed) return;
    this.destroyed = true;
    this.current?.abort();
    // Before any response the caller learns at once; a response already relayed ends through its sink.
    this.fail(ABORTED);
  }
}

/** One try at one instance: undici's dispatch handler, and the response handed to the caller. */
class Attempt implements Dispatcher.DispatchHandler, UpstreamResponse {
  controller: Dispatcher.DispatchController | null = null;
  sink: ResponseSink | null = null;
  statusCode = 0;
  headers: IncomingHttpHeaders = {};
  aborted = false;

  constructor(
    readonly call: Call,
    readonly inst: Instance,
    readonly index: number,
    readonly retriedReset: boolean,
  ) {}

  abort(): void {
    this.aborted = true;
    this.controller?.abort(ABORTED);
  }

  pause(): void {
    this.controller?.pause();
  }

  resume(): void {
    this.controller?.resume();
  }

  onRequestStart(controller: Dispatcher.DispatchController): void {
    this.controller = controller;
    // Destroyed while waiting for a connection: never sent.
    if (this.aborted) controller.abort(ABORTED);
  }

  onResponseStart(_c: Dispatcher.DispatchController, statusCode: number, headers: IncomingHttpHeaders): void {
    const { call } = this;
    if (call.settled) return;
    call.settled = true;
    call.pool.markUp(this.inst);
    this.statusCode = statusCode;
    this.headers = headers;
    this.sink = call.handlers.onResponse(this);
  }

  onResponseData(_c: Dispatcher.DispatchController, chunk: Buffer): void {
    this.sink?.onData(chunk);
  }

  onResponseEnd(): void {
    this.sink?.onEnd();
  }

  onResponseError(_c: Dispatcher.DispatchController, err: Error): void {
    if (this.sink) this.sink.onBroken(err);
    else this.call.attemptFailed(this, err);
  }
}
