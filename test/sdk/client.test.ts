// The SDK's JSON calls against a real server: error fields, 401 hook, cancellation, the browser's
// fetch `this` check, validation and the service client's direct calls.
import { HEADERS } from '../../generated/contract';
import { DwpApiError, DwpClient, DwpContractError, DwpCore, DwpNetworkError, listCases } from '../../generated/sdk';
import { sdkValidation } from '../../generated/sdk/validation';
import { ServiceClient } from '../../generated/service-client';
import { ok } from '../../src/shared/envelope';
import { sendError, testServer, type TestServer } from './server';

let server: TestServer;
beforeAll(async () => {
  server = await testServer((req, res, body) => {
    const path = req.url!.split('?')[0];
    const json = (status: number, value: unknown) => res.writeHead(status, { 'Content-Type': 'application/json' }).end(JSON.stringify(value));
    if (path === '/api/main/cases') return json(200, ok({ items: [] }));
    if (path === '/main/cases') return json(200, ok({ items: 'not a list' }));
    if (path === '/api/main/cases/gone') return sendError(res, 404, 'E1004', { traceId: 'trace-envelope' });
    if (path === '/api/main/cases/broken') return sendError(res, 502, 'E5000', { headerTraceId: 'trace-header' });
    if (path === '/api/main/cases/expired') return sendError(res, 401, 'E2002');
    if (path === '/api/aura/hitl/approve/decided') return sendError(res, 409, 'E3006', { data: { requestId: 'decided', status: 'rejected' } });
    if (path === '/api/main/cases/slow') return; // never answers: the caller's signal must end it
    if (path === '/aura/action/record') return json(200, ok({ ok: true, logged: JSON.parse(body).approved === true }));
    json(404, {});
  });
});
afterAll(() => server.close());

/** The browser's check: window.fetch called as a method of anything but window throws. */
function strictFetch(this: unknown, ...args: Parameters<typeof fetch>): Promise<Response> {
  if (this !== undefined && this !== globalThis) throw new TypeError('Illegal invocation');
  return fetch(...args);
}

it('calls fetch as a plain function, as a browser requires', async () => {
  expect(() => ({ f: strictFetch }).f('http://127.0.0.1:9/')).toThrow('Illegal invocation');
  const client = new DwpClient({ baseUrl: server.url, fetch: strictFetch, token: 't', tenantId: 'acme' });
  await expect(client.listCases()).resolves.toMatchObject({ success: true, data: { items: [] } });
  await expect(listCases(client.withToken('t2'))).resolves.toMatchObject({ success: true });
});

it('reads token and tenant on every call, and sends them on non-public calls only', async () => {
  let token = 'first';
  const client = new DwpClient({ baseUrl: server.url, token: () => token, tenantId: () => 'acme' });
  await client.listCases({ query: { limit: 5 } });
  token = 'second';
  await listCases(client);
  const [a, b] = server.requests.slice(-2);
  expect(a!.url).toBe('/api/main/cases?limit=5');
  expect(a!.headers[HEADERS.AUTHORIZATION.toLowerCase()]).toBe('Bearer first');
  expect(b!.headers[HEADERS.AUTHORIZATION.toLowerCase()]).toBe('Bearer second');
  expect(b!.headers[HEADERS.TENANT_ID.toLowerCase()]).toBe('acme');
});

it("puts the envelope's errorCode, traceId and data on DwpApiError, else the trace header's id", async () => {
  const client = new DwpClient({ baseUrl: server.url });
  const gone = await client.getCase({ params: { caseId: 'gone' } }).catch((e: unknown) => e);
  expect(gone).toBeInstanceOf(DwpApiError);
  expect(gone).toMatchObject({ status: 404, errorCode: 'E1004', traceId: 'trace-envelope', envelope: { errorCode: 'E1004' } });
  await expect(client.getCase({ params: { caseId: 'broken' } })).rejects.toMatchObject({ status: 502, errorCode: 'E5000', traceId: 'trace-header' });
  await expect(client.approveHitl({ params: { requestId: 'decided' } })).rejects.toMatchObject({ status: 409, data: { requestId: 'decided', status: 'rejected' } });
});

it('calls onUnauthorized on a 401 before rejecting', async () => {
  const seen: DwpApiError[] = [];
  const client = new DwpClient({ baseUrl: server.url, onUnauthorized: (e) => seen.push(e) });
  const err = await client.getCase({ params: { caseId: 'expired' } }).catch((e: unknown) => e);
  expect(seen).toEqual([err]);
  expect(seen[0]).toMatchObject({ status: 401, errorCode: 'E2002' });
  await client.getCase({ params: { caseId: 'gone' } }).catch(() => undefined);
  expect(seen).toHaveLength(1);
});

it('aborts a call with its own signal (AbortError) or the client timeout (TimeoutError)', async () => {
  const ac = new AbortController();
  const n = server.requests.length;
  const call = new DwpClient({ baseUrl: server.url }).getCase({ params: { caseId: 'slow' }, signal: ac.signal });
  await server.request(n);
  ac.abort();
  await expect(call).rejects.toMatchObject({ name: 'AbortError' });
  await expect(new DwpClient({ baseUrl: server.url, timeoutMs: 20 }).getCase({ params: { caseId: 'slow' } })).rejects.toMatchObject({ name: 'TimeoutError' });
});

it('turns an unreachable server into DwpNetworkError with the cause', async () => {
  const closed = await testServer(() => undefined);
  await closed.close();
  const err = await new DwpClient({ baseUrl: closed.url }).listCases().catch((e: unknown) => e);
  expect(err).toBeInstanceOf(DwpNetworkError);
  // fetch's own error (another realm's TypeError under jest, hence by name)
  expect((err as DwpNetworkError).cause).toMatchObject({ name: 'TypeError' });
});

it('validates responses only when validation is configured, loading lazy validators once', async () => {
  let loads = 0;
  const lazy = async () => {
    loads++;
    return sdkValidation;
  };
  const direct = new ServiceClient({ baseUrl: server.url, direct: true });
  await expect(direct.listCases()).resolves.toMatchObject({ data: { items: 'not a list' } });
  const checked = new DwpCore({ baseUrl: server.url, validation: lazy });
  await expect(listCases(checked)).resolves.toMatchObject({ success: true });
  await expect(listCases(checked)).resolves.toMatchObject({ success: true });
  expect(loads).toBe(1);
  await expect(new ServiceClient({ baseUrl: server.url, direct: true, validateResponses: true }).listCases()).rejects.toBeInstanceOf(DwpContractError);
});

it('service client: internal operations, direct paths, validation, withToken keeps it all', async () => {
  const client = new ServiceClient({ baseUrl: server.url, direct: true, validateResponses: true }).withToken('svc', 'acme');
  expect(client).toBeInstanceOf(ServiceClient);
  expect(client.options).toMatchObject({ direct: true, validateResponses: true, token: 'svc', tenantId: 'acme' });
  const res = await client.recordAction({ body: { case_id: 'CASE-1', request_id: 'req-1', executor_id: 'u', approved: true } });
  expect(res.data).toEqual({ ok: true, logged: true });
  const req = server.requests.at(-1)!;
  expect(req.url).toBe('/aura/action/record');
  expect(req.headers[HEADERS.TENANT_ID.toLowerCase()]).toBe('acme');
  expect('recordAction' in DwpClient.prototype).toBe(false);
});
