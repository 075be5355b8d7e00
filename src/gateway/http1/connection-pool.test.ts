// The gateway's own HTTP/1.1 client against real sockets: keep-alive reuse and its limits, the
// one retry of a stale keep-alive connection, protocol errors, chunked bodies, aborts and
// refused instances. Every server listens on 127.0.0.1 port 0; nothing is mocked.
import http, { type IncomingHttpHeaders, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { type CallOptions, callUpstream, type UpstreamCall, type UpstreamError } from '../upstream-call';
import { type Instance, UpstreamPool } from '../upstream-pool';
import { type ConnectionFailure, ConnectionPool } from './connection-pool';
import { requestHead } from './request-head';
import { type RawContext, type RawRequest, type RawUpstream, refusedUrl, startRawUpstream } from '../../../test/gateway/support';

const TIMEOUTS = { connectTimeoutMs: 5_000, idleTimeoutMs: 10_000 };

// Everything a test opened, closed after it whatever happened.
const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  const pending = cleanups.splice(0).reverse();
  for (const c of pending) await c();
});

function upstreamPool(urls: string[]): UpstreamPool {
  const pool = new UpstreamPool('test', urls, 60_000, Date.now, TIMEOUTS);
  cleanups.push(() => pool.destroy());
  return pool;
}

async function rawUpstream(onRequest: (req: RawRequest, ctx: RawContext) => void): Promise<RawUpstream> {
  const up = await startRawUpstream(onRequest);
  cleanups.push(() => up.close());
  return up;
}

interface HttpUpstream {
  url: string;
  /** TCP connections the server accepted. */
  connections(): number;
  server: http.Server;
}

async function httpUpstream(handler: (req: IncomingMessage, res: ServerResponse, body: Buffer) => void, setup?: (s: http.Server) => void): Promise<HttpUpstream> {
  let connections = 0;
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => handler(req, res, Buffer.concat(chunks)));
  });
  server.on('connection', () => connections++);
  setup?.(server);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  cleanups.push(
    () =>
      new Promise<void>((r) => {
        server.close(() => r());
        server.closeAllConnections();
      }),
  );
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, connections: () => connections, server };
}

const ok = (body: string, extra = '') => `HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: ${Buffer.byteLength(body)}\r\n${extra}\r\n${body}`;

interface Outcome {
  status: number | null;
  headers: IncomingHttpHeaders;
  chunks: Buffer[];
  ends: number;
  broken: Error | null;
  failure: UpstreamError | null;
  failures: number;
  body(): string;
}

interface Sent {
  call: UpstreamCall;
  /** Live record of what the handlers saw. */
  outcome: Outcome;
  /** Settles at onEnd, onBroken or onFailure, whichever comes first. */
  done: Promise<Outcome>;
}

/** `onChunk`: called after each onData, for a test that paces its upstream by what arrived. */
function send(pool: UpstreamPool, opts: Partial<CallOptions> = {}, onChunk?: () => void): Sent {
  const outcome: Outcome = {
    status: null,
    headers: {},
    chunks: [],
    ends: 0,
    broken: null,
    failure: null,
    failures: 0,
    body: () => Buffer.concat(outcome.chunks).toString('utf8'),
  };
  let settle!: (o: Outcome) => void;
  const done = new Promise<Outcome>((r) => (settle = r));
  const call = callUpstream(
    pool,
    { method: 'GET', path: '/', headers: {}, body: null, ...opts },
    {
      onResponse(res) {
        outcome.status = res.statusCode;
        outcome.headers = res.headers;
        return {
          onData(chunk) {
            // The parser's slices are only valid during the call.
            outcome.chunks.push(Buffer.from(chunk));
            onChunk?.();
          },
          onEnd() {
            outcome.ends++;
            settle(outcome);
          },
          onBroken(err) {
            outcome.broken = err;
            settle(outcome);
          },
        };
      },
      onFailure(err) {
        outcome.failures++;
        outcome.failure = err;
        settle(outcome);
      },
    },
  );
  return { call, outcome, done };
}

describe('upstream keep-alive connections', () => {
  it('reuses one TCP connection for sequential requests', async () => {
    const up = await httpUpstream((req, res) => res.end(`hello ${req.url}`));
    const pool = upstreamPool([up.url]);
    for (const path of ['/a', '/b', '/c']) {
      const o = await send(pool, { path }).done;
      expect({ status: o.status, body: o.body(), ends: o.ends }).toEqual({ status: 200, body: `hello ${path}`, ends: 1 });
      // node:http's default keep-alive hint (5 s) leaves a window of 4 s.
      expect(o.headers['keep-alive']).toBe('timeout=5');
    }
    expect(up.connections()).toBe(1);
    expect(pool.instances[0].connections.size).toBe(1);
  });

  it('does not reuse a connection whose Keep-Alive timeout=1 leaves no window after the 1 s margin', async () => {
    const up = await httpUpstream(
      (_req, res) => res.end('x'),
      (s) => (s.keepAliveTimeout = 1000),
    );
    const pool = upstreamPool([up.url]);
    const first = await send(pool).done;
    expect(first.headers['keep-alive']).toBe('timeout=1');
    expect(first.body()).toBe('x');
    const second = await send(pool).done;
    expect(second.body()).toBe('x');
    expect(up.connections()).toBe(2);
  });

  it('does not reuse a connection after Connection: close', async () => {
    const up = await httpUpstream((_req, res) => {
      res.setHeader('connection', 'close');
      res.end('bye');
    });
    const pool = upstreamPool([up.url]);
    const first = await send(pool).done;
    expect(first.headers.connection).toBe('close');
    expect(first.body()).toBe('bye');
    const second = await send(pool).done;
    expect(second.body()).toBe('bye');
    expect(up.connections()).toBe(2);
  });
});

describe('a stale keep-alive connection', () => {
  // Answers every request, except the second one on the first connection: that connection is
  // closed without an answer, as an upstream does when its keep-alive timer fires just as a
  // request arrives.
  const staleSecond = (req: RawRequest, ctx: RawContext) => {
    if (ctx.socketIndex === 0 && ctx.requestIndex === 1) return ctx.socket.destroy();
    ctx.socket.write(ok(`answer ${ctx.socketIndex}.${ctx.requestIndex} to ${req.method}`));
  };

  it('retries an idempotent request once on a fresh connection', async () => {
    const up = await rawUpstream(staleSecond);
    const pool = upstreamPool([up.url]);
    const first = await send(pool, { path: '/one' }).done;
    expect(first.body()).toBe('answer 0.0 to GET');
    const second = await send(pool, { path: '/two' }).done;
    expect(second.failure).toBeNull();
    expect({ status: second.status, body: second.body(), ends: second.ends }).toEqual({ status: 200, body: 'answer 1.0 to GET', ends: 1 });
    expect(up.connections()).toBe(2);
    expect(up.requests.map((r) => r.target)).toEqual(['/one', '/two', '/two']);
  });

  it('does not retry a POST: it fails with reset, and the upstream saw its body once', async () => {
    const up = await rawUpstream(staleSecond);
    const pool = upstreamPool([up.url]);
    const first = await send(pool, { path: '/one' }).done;
    expect(first.body()).toBe('answer 0.0 to GET');
    const post = await send(pool, { method: 'POST', path: '/submit', headers: { 'content-type': 'text/plain' }, body: Buffer.from('payload-1') }).done;
    expect(post.status).toBeNull();
    expect(post.failure?.kind).toBe('reset');
    expect(post.failures).toBe(1);
    const posts = up.requests.filter((r) => r.method === 'POST');
    expect(posts.map((r) => r.body.toString())).toEqual(['payload-1']);
    expect(up.connections()).toBe(1);
  });
});

describe('protocol errors', () => {
  it('fails with reset when the upstream answers bytes that are not HTTP', async () => {
    const up = await rawUpstream((_req, ctx) => ctx.socket.write('garbage\r\n\r\n'));
    const pool = upstreamPool([up.url]);
    const o = await send(pool).done;
    expect(o.status).toBeNull();
    expect(o.failure?.kind).toBe('reset');
    expect(o.failures).toBe(1);
  });

  it('fails with reset, before any response, when the upstream sends conflicting Content-Lengths', async () => {
    const up = await rawUpstream((_req, ctx) => ctx.socket.write('HTTP/1.1 200 OK\r\nContent-Length: 5\r\nContent-Length: 6\r\n\r\nhello!'));
    const pool = upstreamPool([up.url]);
    const o = await send(pool).done;
    expect(o.status).toBeNull();
    expect(o.broken).toBeNull();
    expect(o.failure?.kind).toBe('reset');
  });

  it('destroys the connection that carried garbage, and forgets it once closed', async () => {
    const up = await rawUpstream((_req, ctx) => ctx.socket.write('garbage\r\n\r\n'));
    const port = Number(new URL(up.url).port);
    const pool = new ConnectionPool('127.0.0.1', port, { connectTimeoutMs: 5_000, idleTimeoutMs: 10_000, maxHeadBytes: 64 * 1024 });
    cleanups.push(() => pool.destroy());
    const conn = pool.acquire();
    const closed = new Promise<void>((r) => conn.socket.once('close', () => r()));
    expect(pool.size).toBe(1);
    const events: string[] = [];
    const failed = new Promise<ConnectionFailure>((resolve) =>
      conn.send(
        {
          onHead: () => events.push('head'),
          onBody: () => events.push('body'),
          onComplete: () => events.push('complete'),
          onError: (kind) => resolve(kind),
        },
        requestHead('GET', '/', up.url.slice('http://'.length), {}, 0),
        null,
        false,
      ),
    );
    expect(await failed).toBe('protocol');
    expect(events).toEqual([]);
    expect(conn.socket.destroyed).toBe(true);
    await closed;
    expect(pool.size).toBe(0);
  });
});

describe('response bodies', () => {
  it('relays a chunked body written in many small pieces intact, ending once', async () => {
    const text = Array.from({ length: 400 }, (_, i) => `line ${i}: héllo wörld ✓\n`).join('');
    const full = Buffer.from(text);
    // 7-byte pieces split multi-byte characters; each write waits for the previous one to leave.
    const pieces: Buffer[] = [];
    for (let i = 0; i < full.length; i += 7) pieces.push(full.subarray(i, i + 7));
    const up = await httpUpstream((req, res) => {
      if (req.url === '/small') return res.end('small');
      res.writeHead(200, { 'content-type': 'text/plain; charset=utf-8' });
      let i = 0;
      const next = () => {
        if (i === pieces.length) return res.end();
        res.write(pieces[i++], next);
      };
      next();
    });
    const pool = upstreamPool([up.url]);
    const o = await send(pool, { path: '/big' }).done;
    expect(o.headers['transfer-encoding']).toBe('chunked');
    expect(o.failure).toBeNull();
    expect(o.broken).toBeNull();
    expect(Buffer.concat(o.chunks).equals(full)).toBe(true);
    // A later exchange on the same connection does not end the first one again.
    const after = await send(pool, { path: '/small' }).done;
    expect(after.body()).toBe('small');
    expect(o.ends).toBe(1);
    expect(o.broken).toBeNull();
    expect(up.connections()).toBe(1);
  });

  it('relays a chunked body paced piece by piece over many reads intact, ending once', async () => {
    const full = Buffer.from(Array.from({ length: 60 }, (_, i) => `{"n":${i},"s":"ünïcødé"}\n`).join(''));
    const pieces: Buffer[] = [];
    for (let i = 0; i < full.length; i += 11) pieces.push(full.subarray(i, i + 11));
    // The upstream writes its next piece only once the client has received some of the last
    // one, so the body arrives over many reads.
    let nextPiece: () => void = () => undefined;
    const up = await httpUpstream((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/x-ndjson' });
      let i = 0;
      nextPiece = () => {
        if (i < pieces.length) res.write(pieces[i++]);
        else if (!res.writableEnded) res.end();
      };
      nextPiece();
    });
    const pool = upstreamPool([up.url]);
    const o = await send(pool, { path: '/paced' }, () => nextPiece()).done;
    expect(o.failure).toBeNull();
    expect(o.broken).toBeNull();
    expect(o.headers['transfer-encoding']).toBe('chunked');
    expect(o.chunks.length).toBeGreaterThan(1);
    expect(Buffer.concat(o.chunks).equals(full)).toBe(true);
    expect(o.ends).toBe(1);
  });
});

describe('aborts and refused instances', () => {
  it('destroy() before the answer reports aborted and closes the upstream socket', async () => {
    // Wrapped in an object: resolving with a bare promise would adopt it (wait for the close).
    let arrived!: (v: { closed: Promise<void> }) => void;
    const requestArrived = new Promise<{ closed: Promise<void> }>((r) => (arrived = r));
    const up = await httpUpstream(() => undefined);
    up.server.on('request', (req: IncomingMessage) => {
      arrived({ closed: new Promise<void>((r) => req.socket.once('close', () => r())) });
    });
    const pool = upstreamPool([up.url]);
    const sent = send(pool, { path: '/never' });
    const { closed: serverSocketClosed } = await requestArrived;
    sent.call.destroy();
    const o = await sent.done;
    expect(o.failure?.kind).toBe('aborted');
    expect(o.failures).toBe(1);
    expect(o.status).toBeNull();
    await serverSocketClosed;
    // A second destroy() reports nothing more.
    sent.call.destroy();
    expect(o.failures).toBe(1);
  });

  it('fails with refused when the only instance refuses', async () => {
    const pool = upstreamPool([await refusedUrl()]);
    const o = await send(pool).done;
    expect(o.status).toBeNull();
    expect(o.failure?.kind).toBe('refused');
  });

  it('tries the next instance when the first refuses', async () => {
    const up = await httpUpstream((_req, res) => res.end('second'));
    const pool = upstreamPool([await refusedUrl(), up.url]);
    const refused: Instance[] = [];
    const o = await send(pool, { onRefused: (inst) => refused.push(inst) }).done;
    expect(o.failure).toBeNull();
    expect({ status: o.status, body: o.body() }).toEqual({ status: 200, body: 'second' });
    expect(refused).toEqual([pool.instances[0]]);
    expect(up.connections()).toBe(1);
  });
});
