import type { IncomingMessage, OutgoingHttpHeaders, ServerResponse } from 'node:http';
import { downstreamResponseHeaders } from './headers';

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
 */
export function relayResponse(upstream: IncomingMessage, res: ServerResponse, base: OutgoingHttpHeaders, hooks: RelayHooks): void {
  const sse = isEventStream(upstream.headers['content-type']);
  const headers = downstreamResponseHeaders(upstream.headers);
  Object.assign(headers, base);
  if (sse) {
    headers['cache-control'] = 'no-cache';
    headers['x-accel-buffering'] = 'no';
    headers.connection = 'keep-alive';
    delete headers['content-length'];
    hooks.onStreamStart();
  }
  let bytes = 0;
  let done = false;
  const end = (outcome: RelayOutcome) => {
    if (done) return;
    done = true;
    hooks.onEnd(outcome, bytes);
  };

  res.writeHead(upstream.statusCode ?? 502, headers);
  if (sse) res.flushHeaders();

  upstream.on('data', (chunk: Buffer) => {
    bytes += chunk.length;
    if (!res.write(chunk)) upstream.pause();
  });
  res.on('drain', () => upstream.resume());
  upstream.on('end', () => {
    res.end();
    end('complete');
  });
  // 'close' without 'end': the upstream connection broke or timed out.
  upstream.on('close', () => {
    if (upstream.complete || done) return;
    if (sse && !res.destroyed) res.end();
    else res.destroy();
    end('upstream-broke');
  });
  upstream.on('error', () => undefined);
  res.on('close', () => {
    if (done) return;
    if (!res.writableFinished) {
      hooks.cutUpstream();
      end('client-closed');
    }
  });
}
