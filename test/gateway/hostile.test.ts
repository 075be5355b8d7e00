// Bad and hostile input over raw sockets: each is answered with the envelope (or the
// connection is closed), none reaches an upstream, and the gateway keeps serving.
import { HEADERS } from '../../generated/contract';
import { authHeaders, noneToken, token } from '../support/auth';
import { expectEnvelope, type Gateway, rawRequest, request, startGateway, startStub, type Stub } from './support';

describe('hostile input', () => {
  let aura: Stub;
  let main: Stub;
  let auth: Stub;
  let gw: Gateway;
  const upstreamCalls = () => aura.seen.length + main.seen.length + auth.seen.length;

  beforeAll(async () => {
    [aura, main, auth] = await Promise.all([startStub(), startStub(), startStub()]);
    gw = await startGateway(
      { aura: aura.url, main: main.url, auth: auth.url },
      {
        GATEWAY_MAX_BODY_BYTES: '1024',
        GATEWAY_MAX_HEADER_BYTES: '4096',
        GATEWAY_HEADERS_TIMEOUT_MS: '300',
        GATEWAY_REQUEST_TIMEOUT_MS: '600',
      },
    );
  });
  afterAll(async () => {
    await gw.close();
    await Promise.all([aura.close(), main.close(), auth.close()]);
  });

  const host = () => new URL(gw.url).host;
  const authLines = () => `X-Tenant-ID: t1\r\nAuthorization: Bearer ${token('alice', 't1')}\r\n`;

  afterEach(async () => {
    // Whatever happened, the gateway still serves.
    const ok = await request(`${gw.url}/api/main/cases`, { headers: authHeaders('alice', 't1') });
    expect(ok.status).toBe(200);
  });

  it.each([
    ['/api/aura/../auth/me'],
    ['/api/aura/%2e%2e/hitl/approve/r1'],
    ['/api/aura/%2E%2E%2Fhitl/approve/r1'],
    ['/api/aura%2fhitl/approve/r1'],
    ['/api/main/x%5c..%5c..%5cauth'],
    ['/api/aura/x%00y'],
    ['/api//aura/hitl/approve/r1'],
  ])('refuses the path %s with 400 E1001 before routing', async (path) => {
    const before = upstreamCalls();
    const a = await rawRequest(gw.url, `POST ${path} HTTP/1.1\r\nHost: ${host()}\r\n${authLines()}Content-Length: 0\r\nConnection: close\r\n\r\n`);
    expectEnvelope(a, 400, 'E1001');
    expect(upstreamCalls()).toBe(before);
  });

  it.each([HEADERS.TENANT_ID, HEADERS.AUTHORIZATION, HEADERS.USER_ID])('refuses a duplicate %s header', async (name) => {
    const before = upstreamCalls();
    const dup =
      name === HEADERS.AUTHORIZATION
        ? `${name}: Bearer ${token('bob', 't1')}\r\n`
        : name === HEADERS.USER_ID
          ? `${name}: alice\r\n${name}: alice\r\n`
          : `${name}: other\r\n`;
    const a = await rawRequest(gw.url, `GET /api/main/cases HTTP/1.1\r\nHost: ${host()}\r\n${authLines()}${dup}Connection: close\r\n\r\n`);
    expectEnvelope(a, 400, 'E1001');
    expect(upstreamCalls()).toBe(before);
  });

  it('answers oversized headers with 431 and the envelope', async () => {
    const a = await rawRequest(gw.url, `GET /api/main/cases HTTP/1.1\r\nHost: ${host()}\r\n${authLines()}X-Big: ${'a'.repeat(8000)}\r\n\r\n`);
    expectEnvelope(a, 431, 'E1001');
  });

  it('refuses a bare CR or a NUL in a header value', async () => {
    const before = upstreamCalls();
    for (const bad of ['X-Agent-ID: a\rX-Injected: 1', 'X-Note: a\u0000b']) {
      const a = await rawRequest(gw.url, `GET /api/main/cases HTTP/1.1\r\nHost: ${host()}\r\n${authLines()}${bad}\r\nConnection: close\r\n\r\n`);
      if ('closed' in a) continue; // closing the connection is an acceptable answer
      expectEnvelope(a, 400, 'E1001');
    }
    expect(upstreamCalls()).toBe(before);
  });

  it('answers a malformed request line with 400 and the envelope', async () => {
    const a = await rawRequest(gw.url, `GARBAGE\r\n\r\n`);
    expectEnvelope(a, 400, 'E1001');
  });

  it('refuses a body over the limit, declared or chunked, without forwarding it', async () => {
    const before = upstreamCalls();
    const big = 'x'.repeat(2048);
    const declared = await rawRequest(
      gw.url,
      `POST /api/main/cases/C1/analysis-runs HTTP/1.1\r\nHost: ${host()}\r\n${authLines()}Content-Type: application/json\r\nContent-Length: ${big.length}\r\n\r\n${big}`,
    );
    expectEnvelope(declared, 413, 'E1001');
    const chunked = await rawRequest(
      gw.url,
      `POST /api/main/cases/C1/analysis-runs HTTP/1.1\r\nHost: ${host()}\r\n${authLines()}Content-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n` +
        `400\r\n${'y'.repeat(1024)}\r\n400\r\n${'y'.repeat(1024)}\r\n0\r\n\r\n`,
    );
    expectEnvelope(chunked, 413, 'E1001');
    expect(upstreamCalls()).toBe(before);
  });

  it('refuses Content-Length together with Transfer-Encoding (request smuggling)', async () => {
    const before = upstreamCalls();
    const a = await rawRequest(
      gw.url,
      `POST /api/main/cases/C1/analysis-runs HTTP/1.1\r\nHost: ${host()}\r\n${authLines()}Content-Length: 4\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\nGET /api/auth/me HTTP/1.1\r\n\r\n`,
    );
    if (!('closed' in a)) expectEnvelope(a, 400, 'E1001');
    expect(upstreamCalls()).toBe(before);
  });

  it('drops a slowloris client that never finishes its headers', async () => {
    const a = await rawRequest(gw.url, `GET /api/main/cases HTTP/1.1\r\nHost: ${host()}\r\nX-Tenant-ID: t1\r\n`);
    if (!('closed' in a)) expectEnvelope(a, 408, 'E1001');
  });

  it('drops a client that never finishes its body, forwarding nothing', async () => {
    const before = upstreamCalls();
    const a = await rawRequest(
      gw.url,
      `POST /api/main/cases/C1/analysis-runs HTTP/1.1\r\nHost: ${host()}\r\n${authLines()}Content-Type: application/json\r\nContent-Length: 500\r\n\r\n{"case_id":`,
    );
    if (!('closed' in a)) expectEnvelope(a, 408, 'E1001');
    expect(upstreamCalls()).toBe(before);
  });

  it('refuses a token with alg none and one signed with another secret', async () => {
    const none = noneToken('alice', 't1');
    expectEnvelope(await request(`${gw.url}/api/main/cases`, { headers: { 'x-tenant-id': 't1', authorization: `Bearer ${none}` } }), 401, 'E2003');
    const foreign = token('alice', 't1', { secret: 'z'.repeat(40), ttlSeconds: 60 });
    expectEnvelope(await request(`${gw.url}/api/main/cases`, { headers: { 'x-tenant-id': 't1', authorization: `Bearer ${foreign}` } }), 401, 'E2003');
  });

  it('answers an unsupported method with 405 E1002', async () => {
    const a = await rawRequest(gw.url, `TRACE /api/main/cases HTTP/1.1\r\nHost: ${host()}\r\n${authLines()}Connection: close\r\n\r\n`);
    expectEnvelope(a, 405, 'E1002');
  });
});
