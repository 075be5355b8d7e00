// The SSE relay over real sockets: unbuffered, frames untouched, Last-Event-ID and POST bodies
// forwarded, client disconnect closes the upstream, upstream breaks end the client's stream.
import http, { type IncomingMessage, type ServerResponse } from 'node:http';
import { EventEmitter } from 'node:events';
import { HEADERS, SSE_DONE } from '../../generated/contract';
import { authHeaders } from '../support/auth';
import { eventually } from '../support/eventually';
import { type Gateway, startGateway, startStub, type Stub } from './support';

const lc = (s: string) => s.toLowerCase();

/** An SSE upstream driven by the test: `emit()` writes the next frame, ids `{stream}:{n}`. */
class SseUpstream extends EventEmitter {
  streams = new Map<string, { res: ServerResponse; next: number; stream: string }>();
  sent = '';
  handler = (req: IncomingMessage, res: ServerResponse) => {
    const stream = (req.url ?? '').split('/').pop()!.split('?')[0];
    const last = req.headers[lc(HEADERS.LAST_EVENT_ID)] as string | undefined;
    const next = last ? Number(last.split(':')[1]) + 1 : 1;
    res.writeHead(200, { 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-cache' });
    res.flushHeaders();
    this.streams.set(stream, { res, next, stream });
    this.emit('open', stream);
  };
  frame(stream: string): string {
    const s = this.streams.get(stream)!;
    const f = `id: ${s.stream}:${s.next}\nevent: content\ndata: {"content":"part ${s.next}","chunk":true}\n\n`;
    s.next++;
    s.res.write(f);
    this.sent += f;
    return f;
  }
}

/** Reads a stream chunk by chunk so the test sees what arrived when. */
function openStream(url: string, init: { method?: string; headers?: Record<string, string>; body?: string } = {}) {
  const received = new EventEmitter();
  let text = '';
  let ended = false;
  const u = new URL(url);
  const req = http.request({ hostname: u.hostname, port: u.port, path: u.pathname + u.search, method: init.method ?? 'GET', headers: init.headers });
  const response = new Promise<IncomingMessage>((resolve, reject) => {
    req.on('response', (res) => {
      res.setEncoding('utf8');
      res.on('data', (c: string) => {
        text += c;
        received.emit('data');
      });
      const finish = () => {
        ended = true;
        received.emit('end');
      };
      res.on('end', finish);
      res.on('aborted', finish);
      res.on('error', finish);
      resolve(res);
    });
    req.on('error', reject);
  });
  req.end(init.body);
  return {
    response,
    text: () => text,
    ended: () => ended,
    until: (pred: () => boolean) =>
      new Promise<void>((resolve, reject) => {
        if (pred()) return resolve();
        const t = setTimeout(() => reject(new Error(`stream condition not met; got ${JSON.stringify(text)}`)), 5000);
        const check = () => {
          if (pred()) {
            clearTimeout(t);
            received.off('data', check);
            received.off('end', check);
            resolve();
          }
        };
        received.on('data', check);
        received.on('end', check);
      }),
    close: () => req.destroy(),
  };
}

describe('SSE relay', () => {
  let up: SseUpstream;
  let stub: Stub;
  let gw: Gateway;

  beforeAll(async () => {
    up = new SseUpstream();
    stub = await startStub((req, res) => up.handler(req, res));
    gw = await startGateway({ aura: stub.url }, { GATEWAY_IDLE_TIMEOUT_MS: '400' });
  });
  afterAll(async () => {
    await gw.close();
    await stub.close();
  });

  const opened = (id: string) => new Promise<void>((r) => (up.streams.has(id) ? r() : up.once('open', () => r())));

  it('relays each frame as it is written, untouched, with the SSE headers', async () => {
    const s = openStream(`${gw.url}/api/aura/streams/st1`, { headers: authHeaders('alice', 't1') });
    const res = await s.response;
    expect(res.headers['content-type']).toBe('text/event-stream; charset=utf-8');
    expect(res.headers['cache-control']).toBe('no-cache');
    expect(res.headers['x-accel-buffering']).toBe('no');
    expect(res.headers.connection).toBe('keep-alive');
    expect(res.headers['content-encoding']).toBeUndefined();
    expect(res.headers[lc(HEADERS.TRACE_ID)]).toBeDefined();
    await opened('st1');
    // Each frame reaches the client while the upstream is still open and before the next is written.
    let expected = '';
    for (let i = 0; i < 5; i++) {
      expected += up.frame('st1');
      await s.until(() => s.text() === expected);
    }
    up.streams.get('st1')!.res.end(`data: ${SSE_DONE}\n\n`);
    await s.until(() => s.ended());
    expect(s.text()).toBe(`${expected}data: ${SSE_DONE}\n\n`);
    expect(s.text()).toContain('id: st1:5\n');
  });

  it('forwards Last-Event-ID so the upstream resumes after it', async () => {
    const s = openStream(`${gw.url}/api/aura/streams/st2`, { headers: { ...authHeaders('alice', 't1'), [HEADERS.LAST_EVENT_ID]: 'st2:7' } });
    await s.response;
    await opened('st2');
    const f = up.frame('st2');
    expect(f).toContain('id: st2:8\n');
    await s.until(() => s.text() === f);
    s.close();
  });

  it('forwards the POST body of a streaming request', async () => {
    const body = JSON.stringify({ prompt: 'analyse case 42', context: { caseId: 'C-42' } });
    const s = openStream(`${gw.url}/api/aura/test/stream`, {
      method: 'POST',
      headers: { ...authHeaders('alice', 't1'), 'content-type': 'application/json' },
      body,
    });
    await s.response;
    await opened('stream');
    expect(stub.seen.find((r) => r.url === '/aura/test/stream')?.body).toBe(body);
    s.close();
  });

  it('closes the upstream request as soon as the client disconnects', async () => {
    await eventually(() => stub.activeRequests() === 0, 'earlier streams closed');
    const clients = [1, 2, 3].map((i) => openStream(`${gw.url}/api/aura/streams/dc${i}`, { headers: authHeaders('alice', 't1') }));
    await Promise.all(clients.map((c) => c.response));
    await Promise.all([1, 2, 3].map((i) => opened(`dc${i}`)));
    expect(stub.activeRequests()).toBe(3);
    const m = await fetch(`${gw.url}/metrics`).then((r) => r.text());
    expect(m).toMatch(/gateway_open_sse_streams\{upstream="aura"\} 3/);
    for (const c of clients) c.close();
    await eventually(() => stub.activeRequests() === 0 && stub.openSockets() === 0, 'upstream connections closed');
    await eventually(
      async () => /gateway_open_sse_streams\{upstream="aura"\} 0/.test(await fetch(`${gw.url}/metrics`).then((r) => r.text())),
      'open-stream gauge back to 0',
    );
  });

  it('ends the client stream when the upstream breaks midway', async () => {
    const s = openStream(`${gw.url}/api/aura/streams/br1`, { headers: authHeaders('alice', 't1') });
    await s.response;
    await opened('br1');
    const f = up.frame('br1');
    await s.until(() => s.text() === f);
    up.streams.get('br1')!.res.socket!.destroy();
    await s.until(() => s.ended());
    expect(s.text()).toBe(f);
  });

  it('ends a stream whose upstream stays silent past the idle limit, but not one kept alive by heartbeats', async () => {
    const idle = openStream(`${gw.url}/api/aura/streams/idle1`, { headers: authHeaders('alice', 't1') });
    const live = openStream(`${gw.url}/api/aura/streams/live1`, { headers: authHeaders('alice', 't1') });
    await Promise.all([idle.response, live.response]);
    await Promise.all([opened('idle1'), opened('live1')]);
    const liveRes = up.streams.get('live1')!.res;
    let pings = 0;
    const beat = setInterval(() => {
      liveRes.write(': ping\n\n');
      pings++;
    }, 100);
    try {
      await idle.until(() => idle.ended());
      // The silent one is cut (idle limit 400 ms); the one with heartbeats is still open after it.
      await live.until(() => live.text().split(': ping').length > 6);
      expect(live.ended()).toBe(false);
      expect(pings).toBeGreaterThan(5);
    } finally {
      clearInterval(beat);
      live.close();
    }
  });
});
