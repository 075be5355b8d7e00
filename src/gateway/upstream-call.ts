import type { IncomingHttpHeaders, OutgoingHttpHeaders } from 'node:http';
import type { Connection, ConnectionFailure, Exchange } from './http1/connection-pool';
import { requestHead } from './http1/request-head';
import type { ResponseHead } from './http1/response-head';
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

// A keep-alive connection the upstream closed just as it was reused: one retry on a fresh
// connection, for methods that may be repeated.
const IDEMPOTENT = new Set(['GET', 'HEAD', 'OPTIONS', 'PUT', 'DELETE']);

const ABORTED = new UpstreamError('aborted', 'client went away');

/**
 * Sends one request upstream over the instance's keep-alive connections. The body is already
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
  }

  attempt(i: number, retriedReset: boolean): void {
    const inst = this.order[i];
    const { opts } = this;
    let head: string;
    try {
      head = requestHead(opts.method, opts.path, inst.host, opts.headers, opts.body?.length ?? 0);
    } catch (err) {
      return this.fail(new UpstreamError('reset', (err as Error).message));
    }
    const conn = inst.connections.acquire();
    const a = new Attempt(this, inst, conn, i, retriedReset, conn.uses > 0);
    this.current = a;
    conn.send(a, head, opts.body, opts.method === 'HEAD');
  }

  fail(err: UpstreamError): void {
    if (this.settled) return;
    this.settled = true;
    this.handlers.onFailure(err);
  }

  /** An attempt failed before any response. */
  attemptFailed(a: Attempt, kind: ConnectionFailure, err: Error, responded: boolean): void {
    if (this.destroyed || this.settled) return this.fail(ABORTED);
    const { pool } = this;
    if (kind === 'refused' || kind === 'connect-timeout') {
      // Nothing reached this instance: the next one may have it.
      pool.markDown(a.inst);
      this.opts.onRefused?.(a.inst);
      if (a.index + 1 < this.order.length) return this.attempt(a.index + 1, a.retriedReset);
      const code = (err as { code?: string }).code ?? err.message;
      return this.fail(new UpstreamError(kind === 'connect-timeout' ? 'timeout' : 'refused', `${pool.name}: ${code}`));
    }
    if (kind === 'timeout') return this.fail(new UpstreamError('timeout', `${pool.name}: upstream idle timeout`));
    if (kind === 'closed' && a.reused && !responded && !a.retriedReset && IDEMPOTENT.has(this.opts.method)) {
      return this.attempt(a.index, true);
    }
    this.fail(new UpstreamError('reset', `${pool.name}: ${(err as { code?: string }).code ?? err.message}`));
  }

  destroy(): void {
    if (this.destroyed) return;
    this.destroyed = true;
    this.current?.abort();
    // Before any response the caller learns at once; a response already relayed ends through its sink.
    this.fail(ABORTED);
  }
}

/** One try at one instance: the connection's exchange, and the response handed to the caller. */
class Attempt implements Exchange, UpstreamResponse {
  sink: ResponseSink | null = null;
  statusCode = 0;
  headers: IncomingHttpHeaders = {};
  aborted = false;

  constructor(
    readonly call: Call,
    readonly inst: Instance,
    readonly conn: Connection,
    readonly index: number,
    readonly retriedReset: boolean,
    /** The connection had carried a request before (the upstream may have closed it meanwhile). */
    readonly reused: boolean,
  ) {}

  abort(): void {
    if (this.aborted) return;
    this.aborted = true;
    this.conn.abort(this);
  }

  pause(): void {
    this.conn.pause();
  }

  resume(): void {
    this.conn.resume();
  }

  onHead(head: ResponseHead): void {
    const { call } = this;
    if (call.settled) return;
    call.settled = true;
    call.pool.markUp(this.inst);
    this.statusCode = head.statusCode;
    this.headers = head.headers;
    try {
      this.sink = call.handlers.onResponse(this);
    } catch (err) {
      // Nothing usable reached the client (e.g. a header value Node refuses to write): the
      // connection fails this attempt and the caller answers 502.
      call.settled = false;
      throw err;
    }
  }

  onBody(chunk: Buffer): void {
    this.sink?.onData(chunk);
  }

  onComplete(): void {
    this.sink?.onEnd();
  }

  onError(kind: ConnectionFailure, err: Error, responded: boolean): void {
    if (this.sink) this.sink.onBroken(err);
    else this.call.attemptFailed(this, kind, err, responded);
  }
}
