import { checkAgainstSpec } from '../support/spec-check';
// Real HTTP stubs standing in for the upstream services, and a gateway on port 0 in front of them.
import { spawn } from 'node:child_process';
import http, { type IncomingHttpHeaders, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import net, { type AddressInfo, type Socket } from 'node:net';
import { createApp } from '../../src/gateway/app';
import { type GatewayConfig, loadGatewayConfig } from '../../src/gateway/config';
import type { HistoryRow, HistorySink } from '../../src/gateway/history';
import { createMetrics, type GatewayMetrics } from '../../src/gateway/metrics';
import { createLogger } from '../../src/shared/logger';
import * as V from '../../generated/validators/schemas';
import { JWT_SECRET } from '../support/auth';

export interface Seen {
  method: string;
  url: string;
  headers: http.IncomingHttpHeaders;
  body: string;
}

export interface Stub {
  url: string;
  server: Server;
  seen: Seen[];
  /** Sockets open now, and requests whose response has not finished or closed. */
  openSockets(): number;
  activeRequests(): number;
  close(): Promise<void>;
}

export type StubHandler = (req: IncomingMessage, res: ServerResponse, body: string) => void;

/** A JSON upstream that echoes what it received (method, path, headers, body). */
export const echo: StubHandler = (req, res, body) => {
  const text = JSON.stringify({ status: 'SUCCESS', success: true, data: { method: req.method, url: req.url, headers: req.headers, body } });
  res.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text), 'x-upstream': 'stub' });
  res.end(text);
};

export async function startStub(handler: StubHandler = echo): Promise<Stub> {
  const seen: Seen[] = [];
  const sockets = new Set<Socket>();
  let active = 0;
  const server = http.createServer((req, res) => {
    active++;
    res.on('close', () => active--);
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      seen.push({ method: req.method ?? '', url: req.url ?? '', headers: req.headers, body });
      handler(req, res, body);
    });
  });
  server.on('connection', (s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    server,
    seen,
    openSockets: () => sockets.size,
    activeRequests: () => active,
    close: () =>
      new Promise((r) => {
        server.close(() => r());
        server.closeAllConnections();
      }),
  };
}

/** A port that refuses connections (a server that was listening there is closed again). */
export async function refusedUrl(): Promise<string> {
  const s = http.createServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
  const port = (s.address() as AddressInfo).port;
  await new Promise((r) => s.close(r));
  return `http://127.0.0.1:${port}`;
}

export interface Gateway {
  url: string;
  server: Server;
  config: GatewayConfig;
  metrics: GatewayMetrics;
  close(): Promise<void>;
}

export async function startGateway(
  upstreams: { aura?: string; main?: string; auth?: string },
  env: Record<string, string> = {},
  history?: HistorySink,
): Promise<Gateway> {
  const config = loadGatewayConfig({
    JWT_SECRET,
    AURA_URL: upstreams.aura ?? 'http://127.0.0.1:9',
    MAIN_URL: upstreams.main ?? 'http://127.0.0.1:9',
    AUTH_URL: upstreams.auth ?? 'http://127.0.0.1:9',
    ...env,
  });
  const metrics = createMetrics();
  const server = createApp({ config, logger: createLogger('gateway', 'silent'), history, metrics });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    server,
    config,
    metrics,
    close: () =>
      new Promise((r) => {
        server.close(() => r());
        server.closeAllConnections();
      }),
  };
}

export interface Answer {
  status: number;
  headers: http.IncomingHttpHeaders;
  text: string;
  body: any;
}

/**
 * A raw HTTP request over a real socket. fetch normalises away much of what the hostile-input
 * tests need to send (duplicate headers, odd paths), so this writes exactly what it is given.
 */
export function rawRequest(url: string, payload: string): Promise<Answer | { closed: true; text: string }> {
  const u = new URL(url);
  return new Promise((resolve, reject) => {
    const sock = net.connect(Number(u.port), u.hostname, () => sock.write(payload));
    const chunks: Buffer[] = [];
    sock.on('data', (c) => chunks.push(c));
    sock.on('error', () => undefined);
    sock.on('close', () => {
      const text = Buffer.concat(chunks).toString('utf8');
      if (!text) return resolve({ closed: true, text });
      const [head, ...rest] = text.split('\r\n\r\n');
      const lines = head.split('\r\n');
      const status = Number(lines[0].split(' ')[1]);
      const headers: http.IncomingHttpHeaders = {};
      for (const l of lines.slice(1)) {
        const i = l.indexOf(':');
        headers[l.slice(0, i).toLowerCase()] = l.slice(i + 1).trim();
      }
      let bodyText = rest.join('\r\n\r\n');
      if (headers['transfer-encoding'] === 'chunked') bodyText = dechunk(bodyText);
      let body: unknown;
      try {
        body = JSON.parse(bodyText);
      } catch {
        body = undefined;
      }
      resolve({ status, headers, text: bodyText, body });
    });
    sock.setTimeout(10_000, () => {
      sock.destroy();
      reject(new Error('raw request timed out'));
    });
  });
}

function dechunk(s: string): string {
  let out = '';
  let rest = s;
  for (;;) {
    const i = rest.indexOf('\r\n');
    if (i < 0) return out;
    const n = parseInt(rest.slice(0, i), 16);
    if (!n) return out;
    out += rest.slice(i + 2, i + 2 + n);
    rest = rest.slice(i + 2 + n + 2);
  }
}

export async function request(url: string, init: RequestInit = {}): Promise<Answer> {
  const res = await fetch(url, init);
  const text = await res.text();
  let body: unknown;
  try {
    body = text ? JSON.parse(text) : undefined;
  } catch {
    body = undefined;
  }
  checkAgainstSpec(init.method ?? 'GET', url, res.status, res.headers.get('content-type'), body, { successBodies: false });
  const headers: http.IncomingHttpHeaders = {};
  res.headers.forEach((v, k) => (headers[k] = v));
  return { status: res.status, headers, text, body };
}

/** The answer is the contract's error envelope with this status and code, without a stack trace. */
export function expectEnvelope(a: Answer | { closed: true }, status: number, code: string): void {
  if ('closed' in a) throw new Error('connection closed without an answer');
  if (!V.ErrorEnvelope(a.body)) throw new Error(`not an error envelope (${a.status}): ${a.text.slice(0, 300)}`);
  expect({ status: a.status, code: (a.body as { errorCode: string }).errorCode }).toEqual({ status, code });
  expect(a.text).not.toMatch(/\n\s+at /);
}

/**
 * A listener whose accept queue is full, so a new connection's SYN goes unanswered and
 * connect() hangs: the real condition a connect timeout is for. A Python child holds a socket
 * with backlog 0 that never accepts; one connection fills its queue.
 */
export async function startBlackhole(): Promise<{ url: string; close(): void }> {
  const child = spawn('python3', [
    '-c',
    'import socket,sys,time\ns=socket.socket()\ns.bind(("127.0.0.1",0))\ns.listen(0)\nprint(s.getsockname()[1],flush=True)\nsys.stdin.read()',
  ]);
  const port = await new Promise<number>((resolve, reject) => {
    child.stdout.once('data', (d: Buffer) => resolve(Number(d.toString().trim())));
    child.once('error', reject);
  });
  const filler = net.connect(port, '127.0.0.1');
  filler.on('error', () => undefined);
  await new Promise((r) => filler.once('connect', r));
  return {
    url: `http://127.0.0.1:${port}`,
    close() {
      filler.destroy();
      child.kill();
    },
  };
}

export interface RawRequest {
  method: string;
  target: string;
  headers: Record<string, string>;
  body: Buffer;
}

export interface RawContext {
  socket: net.Socket;
  /** Which accepted connection, from 0. */
  socketIndex: number;
  /** Which request on that connection, from 0. */
  requestIndex: number;
}

export interface RawUpstream {
  url: string;
  connections(): number;
  requests: RawRequest[];
  close(): Promise<void>;
}

/**
 * A `net` server that reads HTTP/1.1 requests (Content-Length bodies only) and lets the test
 * answer them with whatever bytes it likes, or not at all.
 */
export async function startRawUpstream(onRequest: (req: RawRequest, ctx: RawContext) => void): Promise<RawUpstream> {
  const requests: RawRequest[] = [];
  const sockets = new Set<net.Socket>();
  let accepted = 0;
  const server = net.createServer((socket) => {
    const socketIndex = accepted++;
    let requestIndex = 0;
    let buf = Buffer.alloc(0);
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => undefined);
    socket.on('data', (d: Buffer) => {
      buf = Buffer.concat([buf, d]);
      for (;;) {
        const end = buf.indexOf('\r\n\r\n');
        if (end < 0) return;
        const lines = buf.toString('latin1', 0, end).split('\r\n');
        const [method, target] = lines[0].split(' ');
        const headers: Record<string, string> = {};
        for (const l of lines.slice(1)) {
          const i = l.indexOf(':');
          headers[l.slice(0, i).toLowerCase()] = l.slice(i + 1).trim();
        }
        const length = Number(headers['content-length'] ?? 0);
        if (buf.length < end + 4 + length) return;
        const req = { method, target, headers, body: Buffer.from(buf.subarray(end + 4, end + 4 + length)) };
        buf = buf.subarray(end + 4 + length);
        requests.push(req);
        onRequest(req, { socket, socketIndex, requestIndex: requestIndex++ });
        if (socket.destroyed) return;
      }
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    connections: () => accepted,
    requests,
    close: () =>
      new Promise<void>((r) => {
        for (const s of sockets) s.destroy();
        server.close(() => r());
      }),
  };
}

/** An answer with its bytes as sent (gzip not decoded). */
export interface Raw extends Answer {
  raw: Buffer;
}

/** A GET (or `method`) over node:http: fetch would decode gzip and normalise `..`. */
export function get(url: string, opts: { method?: string; headers?: Record<string, string> } = {}): Promise<Raw> {
  return new Promise((resolvePromise, reject) => {
    const req = http.request(url, { method: opts.method ?? 'GET', headers: opts.headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        const raw = Buffer.concat(chunks);
        const text = raw.toString('utf8');
        let body: unknown;
        try {
          body = JSON.parse(text);
        } catch {
          body = undefined;
        }
        resolvePromise({ status: res.statusCode ?? 0, headers: res.headers as IncomingHttpHeaders, text, body, raw });
      });
    });
    req.on('error', reject);
    req.end();
  });
}

/** A history sink that keeps the rows, to assert which requests leave one. */
export function recordingSink(): HistorySink & { rows: HistoryRow[] } {
  const rows: HistoryRow[] = [];
  return { rows, record: (r) => void rows.push(r), close: async () => undefined, buffered: () => 0 };
}
