// A real HTTP server on port 0 whose answers a test scripts, connection by connection: the SDK is
// exercised over real sockets (drops, refused connections, error envelopes), with no fetch mock.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { HEADERS, SSE_DONE } from '../../generated/contract';
import type { ErrorCode } from '../../generated/contract';
import { errorEnvelope } from '../../src/shared/envelope';
import { formatFrame, SSE_HEADERS } from '../../src/shared/http/sse';
import { listen } from '../support/listen';

export type Handler = (req: IncomingMessage, res: ServerResponse, body: string) => void;

export interface TestServer {
  url: string;
  requests: IncomingMessage[];
  /** Resolves with the n-th request (0-based) once it has arrived. */
  request(n: number): Promise<IncomingMessage>;
  close(): Promise<void>;
}

export async function testServer(handler: Handler): Promise<TestServer> {
  const requests: IncomingMessage[] = [];
  const waiters: (() => void)[] = [];
  const server = createServer((req, res) => {
    let body = '';
    req.setEncoding('utf8');
    req.on('data', (c: string) => (body += c));
    req.on('end', () => {
      requests.push(req);
      for (const w of waiters.splice(0)) w();
      handler(req, res, body);
    });
  });
  const url = await listen(server);
  const request = async (n: number): Promise<IncomingMessage> => {
    while (requests.length <= n) await new Promise<void>((r) => waiters.push(r));
    return requests[n]!;
  };
  const close = () =>
    new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    });
  return { url, requests, request, close };
}

export function sendError(res: ServerResponse, status: number, code: ErrorCode, o: { traceId?: string; headerTraceId?: string; data?: unknown } = {}): void {
  const headers: Record<string, string> = { 'Content-Type': 'application/json' };
  if (o.headerTraceId) headers[HEADERS.TRACE_ID] = o.headerTraceId;
  res.writeHead(status, headers).end(JSON.stringify(errorEnvelope(code, `failed with ${code}`, o.data ?? null, o.traceId)));
}

/** What one connection of a scripted stream does. */
export type StreamStep =
  /** Sends `events` frames (resuming after Last-Event-ID), then ends as `then` says. */
  | { events: number; then: 'drop' | 'end' | 'done' | 'hold'; retryMs?: number }
  | { status: number; code: ErrorCode; traceId?: string };

/**
 * Serves an endless numbered stream (`id: s:N`, `data: {"n":N}`) that resumes after the
 * Last-Event-ID it is sent; each connection follows the next step, the last step repeats.
 */
export function scriptedStream(steps: StreamStep[], seen: (string | undefined)[] = []): Handler {
  let connection = 0;
  return (req, res) => {
    const step = steps[Math.min(connection++, steps.length - 1)]!;
    const last = req.headers[HEADERS.LAST_EVENT_ID.toLowerCase()] as string | undefined;
    seen.push(last);
    if ('status' in step) return sendError(res, step.status, step.code, { traceId: step.traceId });
    res.writeHead(200, SSE_HEADERS);
    const from = last ? Number(last.split(':')[1]) + 1 : 1;
    let out = step.retryMs !== undefined ? `retry: ${step.retryMs}\n\n` : '';
    for (let n = from; n < from + step.events; n++) out += formatFrame('tick', JSON.stringify({ n }), `s:${n}`);
    if (step.then === 'done') out += `data: ${SSE_DONE}\n\n`;
    res.write(out || ': open\n\n', () => {
      if (step.then === 'drop') res.destroy();
      else if (step.then !== 'hold') res.end();
    });
  };
}
