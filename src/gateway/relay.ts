import type { OutgoingHttpHeaders, ServerResponse } from 'node:http';
import { downstreamResponseHeaders } from './headers';
import type { ResponseSink, UpstreamResponse } from './upstream-call';

export type RelayOutcome = 'complete' | 'client-closed' | 'upstream-broke';

export interface RelayHooks {
  onStreamStart(): void;
  /** Destroys the upstream request (and its socket). */
  cutUpstream(): void;
  onEnd(outcome: RelayOutcome, bytes: number): void;
}

export function isEventStream(contentType: string | string[] | undefined): boolean {
  return typeof contentType === 'string' && contentType.toLowerCase().startsWith('text/event-stream');
}

/**
 * Relays the upstream's answer chunk by chunk as it arrives, with backpressure. For an event
 * stream nothing is buffered, compressed or rewritten (Aura's `id:` lines are the resume
 * points), and the client's departure cuts the upstream at once. If the upstream breaks
 * midway, a stream is ended (the client resumes with Last-Event-ID); any other body is cut,
 * since its framing can no longer be honoured.
 *
 * Event streams: the headers, and the chunks read from the upstream in one turn of the event
 * loop, are written to the client as one chunk at the end of that same turn (the check phase, right after the
 * reads), never held longer. An upstream that writes one small event per syscall would
 * otherwise cost a read *and* a chunked write (with its framing) per event, and the client a
 * read per event; coalescing keeps bytes and frame boundaries as they were and adds no wait.
 */
export function relayResponse(upstream: UpstreamResponse, res: ServerResponse, base: OutgoingHttpHeaders, hooks: RelayHooks): Relay {
  const sse = isEventStream(upstream.headers['content-type']);
  const headers = downstreamResponseHeaders(upstream.headers);
  Object.assign(headers, base);
  if (sse) {
    headers['cache-control'] = 'no-cache';
    headers['x-accel-buffering'] = 'no';
    headers.connection = 'keep-alive';
    delete headers['content-length'];
  }
  const relay = new Relay(upstream, res, hooks, sse);
  res.writeHead(upstream.statusCode || 502, headers);
  if (sse) {
    hooks.onStreamStart();
    // The headers go out at the end of this turn, with whatever events came in the same read
    // (one write, and one wake-up of the client, instead of two), or alone if none did.
    relay.flushScheduled = true;
    setImmediate(flushRelay, relay);
  }
  // The caller's close listener calls onClientClose: one listener per exchange, not two.
  return relay;
}

/**
 * One relayed answer, the sink of the upstream response's body. Methods, with anonymous arrow
 * listeners: under tsx (esbuild keepNames) every named per-request closure costs an
 * Object.defineProperty call.
 */
export class Relay implements ResponseSink {
  bytes = 0;
  done = false;
  /** SSE only: chunks read this turn, not yet written. */
  pending: Buffer[] = [];
  pendingBytes = 0;
  flushScheduled = false;
  /** Something (headers or data) has been handed to the response. */
  wrote = false;
  drainHooked = false;

  constructor(
    readonly upstream: UpstreamResponse,
    readonly res: ServerResponse,
    readonly hooks: RelayHooks,
    readonly sse: boolean,
  ) {}

  end(outcome: RelayOutcome): void {
    if (this.done) return;
    this.done = true;
    this.hooks.onEnd(outcome, this.bytes);
  }

  onData(chunk: Buffer): void {
    if (this.done) return;
    this.bytes += chunk.length;
    if (!this.sse) {
      if (!this.res.write(chunk)) this.backOff();
      return;
    }
    this.pending.push(chunk);
    this.pendingBytes += chunk.length;
    if (!this.flushScheduled) {
      this.flushScheduled = true;
      setImmediate(flushRelay, this);
    }
  }

  /** Writes what was read this turn as one chunk. */
  flush(): void {
    this.flushScheduled = false;
    const { pending, res } = this;
    if (pending.length === 0 || res.destroyed) {
      pending.length = 0;
      this.pendingBytes = 0;
      // Nothing came with the headers: they go alone (`headersSent` is already true after
      // writeHead, whether or not they left).
      if (!this.wrote && !res.destroyed) {
        this.wrote = true;
        res.flushHeaders();
      }
      return;
    }
    this.wrote = true;
    const chunk = pending.length === 1 ? pending[0] : Buffer.concat(pending, this.pendingBytes);
    pending.length = 0;
    this.pendingBytes = 0;
    if (!this.res.write(chunk)) this.backOff();
  }

  /** The client reads slower than the upstream writes: stop reading until it drains. */
  backOff(): void {
    this.upstream.pause();
    if (!this.drainHooked) {
      // Hooked on first need: most answers fit the socket's buffer.
      this.drainHooked = true;
      this.res.on('drain', () => this.upstream.resume());
    }
  }

  onEnd(): void {
    if (this.done) return;
    if (this.pending.length) this.flush();
    this.res.end();
    this.end('complete');
  }

  /** The upstream connection broke or went silent past the idle limit. */
  onBroken(): void {
    if (this.done) return;
    const { res } = this;
    if (this.sse && !res.destroyed) {
      if (this.pending.length) this.flush();
      res.end();
    } else res.destroy();
    this.end('upstream-broke');
  }

  onClientClose(): void {
    if (this.done) return;
    if (!this.res.writableFinished) {
      this.pending.length = 0;
      // Ended first: cutting the upstream reports the upstream's side synchronously.
      this.end('client-closed');
      this.hooks.cutUpstream();
    }
  }
}

function flushRelay(relay: Relay): void {
  relay.flush();
}
