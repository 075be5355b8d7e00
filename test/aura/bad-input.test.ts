import { MAX_CONTEXT_BYTES } from '../../generated/contract';
import { expectError, http } from '../support/http';
import { authHeaders, token } from '../support/auth';
import { type Aura, serviceHeaders, startAura } from './support';

describe('Aura answers bad input with the envelope and the right code', () => {
  let aura: Aura;
  beforeAll(async () => {
    aura = await startAura();
  });
  afterAll(async () => aura.close());

  // The backend's service credential: it is accepted on every operation, internal ones included.
  const json: Record<string, string> = { ...serviceHeaders(), 'content-type': 'application/json' };
  const post = (path: string, body: string, headers: Record<string, string> = json) => http('POST', `${aura.url}${path}`, { headers, raw: body });
  const get = (path: string, headers: Record<string, string> = serviceHeaders()) => http('GET', `${aura.url}${path}`, { headers });

  it('malformed JSON → 400 E1001', async () => {
    for (const path of ['/aura/test/stream', '/aura/action/record', '/aura/cases/C1/analysis-runs', '/aura/rag/documents']) {
      expectError(await post(path, '{"prompt": '), 400, 'E1001');
    }
  });

  it('missing fields and wrong types → 400 E4000 with per-field errors', async () => {
    const r1 = await post('/aura/test/stream', JSON.stringify({ context: {} }));
    expectError(r1, 400, 'E4000');
    expect(r1.body.data.errors.map((e: any) => e.field)).toContain('body.prompt');
    const r2 = await post('/aura/test/stream', JSON.stringify({ prompt: 5, context: 'x' }));
    expectError(r2, 400, 'E4000');
    expect(r2.body.data.errors.map((e: any) => e.field)).toEqual(expect.arrayContaining(['body.prompt', 'body.context']));
    const r3 = await post('/aura/action/record', JSON.stringify({ case_id: 'C1', request_id: 'r1', approved: 'yes' }));
    expectError(r3, 400, 'E4000');
    expect(r3.body.data.errors.map((e: any) => e.field)).toEqual(expect.arrayContaining(['body.executor_id', 'body.approved']));
    expectError(await post('/aura/cases/C1/analysis-runs', JSON.stringify({ evidence: {} })), 400, 'E4000');
    expectError(await post('/aura/cases/C1/analysis-runs', JSON.stringify({ runId: 'run-x', caseId: 'C2', evidence: {} })), 400, 'E4000');
    expectError(await post('/aura/rag/documents', JSON.stringify({ title: 'x' })), 400, 'E4000');
    expectError(await get('/aura/test/stream'), 400, 'E4000');
  });

  it('ids with spaces or glob characters → 400 E4000', async () => {
    expectError(await get('/aura/streams/a*b'), 400, 'E4000');
    expectError(await get('/aura/streams/a%20b'), 400, 'E4000');
    expectError(await get('/aura/hitl/requests/req*'), 400, 'E4000');
    expectError(await get('/aura/hitl/signals/s%20x'), 400, 'E4000');
    expectError(await get('/aura/analysis-runs/run*'), 400, 'E4000');
    expectError(await post('/aura/action/record', JSON.stringify({ case_id: 'C 1', request_id: 'r*', executor_id: 'u', approved: true })), 400, 'E4000');
    expectError(await get('/aura/streams/abc', { ...authHeaders('requester', 'acme'), 'last-event-id': 'a b:1' }), 400, 'E4000');
    expectError(await get('/aura/streams/abc', { ...authHeaders('requester', 'acme'), 'last-event-id': 'abc' }), 400, 'E4000');
  });

  it('a context over 256 KB → 413 E1001', async () => {
    const big = { blob: 'x'.repeat(MAX_CONTEXT_BYTES) };
    expectError(await post('/aura/test/stream', JSON.stringify({ prompt: 'hi', context: big })), 413, 'E1001');
  });

  it('unknown run → 404 E1004', async () => {
    expectError(await get('/aura/analysis-runs/run-does-not-exist'), 404, 'E1004');
    expectError(await get('/aura/analysis-runs/run-does-not-exist/stream'), 404, 'E1004');
    expectError(await get('/aura/hitl/requests/req-none'), 404, 'E1004');
  });

  it('bad, expired or missing tokens and tenant problems', async () => {
    const body = JSON.stringify({ prompt: 'hi' });
    expectError(await post('/aura/test/stream', body, { 'content-type': 'application/json', 'x-tenant-id': 'acme' }), 401, 'E2000');
    expectError(await post('/aura/test/stream', body, { 'content-type': 'application/json', 'x-tenant-id': 'acme', authorization: 'Bearer not.a.jwt' }), 401, 'E2003');
    const expired = token('u', 'acme', { ttlSeconds: 1, now: new Date(Date.now() - 3600_000) });
    expectError(await post('/aura/test/stream', body, { 'content-type': 'application/json', 'x-tenant-id': 'acme', authorization: `Bearer ${expired}` }), 401, 'E2002');
    const otherSecret = token('u', 'acme', { secret: 'another-secret-that-is-long-enough-000000', ttlSeconds: 60 });
    expectError(await post('/aura/test/stream', body, { 'content-type': 'application/json', 'x-tenant-id': 'acme', authorization: `Bearer ${otherSecret}` }), 401, 'E2003');
    expectError(await post('/aura/test/stream', body, { ...json, 'x-tenant-id': 'globex' }), 403, 'E2007');
    expectError(await post('/aura/test/stream', body, { ...json, 'x-user-id': 'someone-else' }), 403, 'E2001');
    const { 'x-tenant-id': _t, ...noTenant } = json;
    expectError(await post('/aura/test/stream', body, noTenant), 400, 'E2006');
  });

  it('wrong method and unknown path use the envelope; the process is still healthy afterwards', async () => {
    expectError(await http('GET', `${aura.url}/aura/action/record`, { headers: authHeaders('requester', 'acme') }), 405, 'E1002');
    expectError(await get('/aura/nowhere'), 404, 'E1004');
    const health = await get('/aura/health', {});
    expect(health.status).toBe(200);
  });
});
