// The gateway in front of upstreams that speak broken or unusual HTTP/1.1: what its own client
// refuses (502 E5000), and what it must relay intact (chunked bodies, HEAD answers that announce
// a length they do not send).
import http from 'node:http';
import { authHeaders } from '../support/auth';
import { expectEnvelope, type Gateway, type RawUpstream, request, startGateway, startRawUpstream, startStub, type Stub } from './support';

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  const pending = cleanups.splice(0).reverse();
  for (const c of pending) await c();
});

async function gateway(mainUrl: string): Promise<Gateway> {
  const gw = await startGateway({ main: mainUrl });
  cleanups.push(() => gw.close());
  return gw;
}

async function stub(handler: Parameters<typeof startStub>[0]): Promise<Stub> {
  const s = await startStub(handler);
  cleanups.push(() => s.close());
  return s;
}

/** A `net` upstream that answers each request it reads with exactly `answer`. */
async function rawUpstream(answer: string): Promise<RawUpstream> {
  const up = await startRawUpstream((_req, { socket }) => socket.write(answer, 'latin1'));
  cleanups.push(() => up.close());
  return up;
}

interface AgentAnswer {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: string;
  reusedSocket: boolean;
}

/** One request through an http.Agent (so the test controls which client connection carries it). */
function viaAgent(agent: http.Agent, url: string, method: string, headers: Record<string, string>): Promise<AgentAnswer> {
  return new Promise((resolve, reject) => {
    const req = http.request(url, { method, headers, agent }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () =>
        resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString('utf8'), reusedSocket: req.reusedSocket }),
      );
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end();
  });
}

describe('upstream protocol errors and framing through the gateway', () => {
  it('answers 502 E5000 when the upstream answers bytes that are not HTTP', async () => {
    const up = await rawUpstream('garbage\r\n\r\n');
    const gw = await gateway(up.url);
    expectEnvelope(await request(`${gw.url}/api/main/cases`, { headers: authHeaders('alice', 't1') }), 502, 'E5000');
    expect(up.requests).toHaveLength(1);
  });

  it('answers 502 E5000 when the upstream sends two different Content-Lengths', async () => {
    const up = await rawUpstream('HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 5\r\nContent-Length: 6\r\n\r\n{"a":1}');
    const gw = await gateway(up.url);
    const res = await request(`${gw.url}/api/main/cases`, { headers: authHeaders('alice', 't1') });
    expectEnvelope(res, 502, 'E5000');
    expect(res.text).not.toContain('{"a":1}');
  });

  it('relays a chunked JSON answer intact', async () => {
    const payload = {
      status: 'SUCCESS',
      success: true,
      data: { items: Array.from({ length: 500 }, (_, i) => ({ id: `case-${i}`, title: `Fall ${i} — Überprüfung ✓` })) },
    };
    const text = Buffer.from(JSON.stringify(payload));
    const up = await stub((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json; charset=utf-8' });
      // Many small writes, each once the previous one has left; pieces split multi-byte characters.
      let at = 0;
      const next = () => {
        if (at >= text.length) return res.end();
        const piece = text.subarray(at, at + 97);
        at += 97;
        res.write(piece, next);
      };
      next();
    });
    const gw = await gateway(up.url);
    const res = await request(`${gw.url}/api/main/cases`, { headers: authHeaders('alice', 't1') });
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toBe('application/json; charset=utf-8');
    expect(res.body).toEqual(payload);
    expect(Buffer.byteLength(res.text)).toBe(text.length);
  });

  it('completes a HEAD whose answer announces Content-Length: 100, and the next GET on the same client connection works', async () => {
    let upstreamConnections = 0;
    const up = await stub((req, res, body) => {
      if (req.method === 'HEAD') {
        res.writeHead(200, { 'content-type': 'application/json', 'content-length': '100' });
        return res.end();
      }
      const text = JSON.stringify({ status: 'SUCCESS', success: true, data: { method: req.method, body } });
      res.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
      res.end(text);
    });
    up.server.on('connection', () => upstreamConnections++);
    const gw = await gateway(up.url);
    const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
    cleanups.push(() => agent.destroy());

    const head = await viaAgent(agent, `${gw.url}/api/main/cases`, 'HEAD', authHeaders('alice', 't1'));
    expect(head.status).toBe(200);
    expect(head.headers['content-length']).toBe('100');
    expect(head.body).toBe('');

    const get = await viaAgent(agent, `${gw.url}/api/main/cases`, 'GET', authHeaders('alice', 't1'));
    expect(get.status).toBe(200);
    expect(get.reusedSocket).toBe(true);
    expect(JSON.parse(get.body)).toEqual({ status: 'SUCCESS', success: true, data: { method: 'GET', body: '' } });
    expect(up.seen.map((s) => s.method)).toEqual(['HEAD', 'GET']);
    // The HEAD answer's announced length was not waited for: its upstream connection carried the GET too.
    expect(upstreamConnections).toBe(1);
  });
});
