import { HEADERS } from '../../generated/contract';
import * as V from '../../generated/validators/schemas';
import { createActionRecorder } from '../../src/main/aura/record-action';
import { counterValue, createMainMetrics } from '../../src/main/metrics';
import { verifyToken } from '../../src/shared/auth/jwt';
import { SERVICE_ROLE } from '../../src/shared/auth/service-token';
import { startFakeAura, type FakeAura } from './fake-aura';
import { mainConfig, mainFixture, putHitlRequest, type MainFixture } from './hitl-fixture';
import { authHeaders, JWT_SECRET } from '../support/auth';
import { eventually } from '../support/eventually';
import { expectError, http } from '../support/http';
import { silentLogger } from './support';

let fx: MainFixture;
let aura: FakeAura;
let base: string;
const metrics = createMainMetrics();

beforeAll(async () => {
  fx = await mainFixture();
  aura = await startFakeAura();
  base = await fx.start({
    config: mainConfig({ AURA_URL: aura.url, AURA_TIMEOUT_MS: '2000' }),
    metrics,
    ports: { recordAction: createActionRecorder({ auraUrl: aura.url, jwtSecret: JWT_SECRET, timeoutMs: 2000, attempts: 3, backoffMs: 10, log: silentLogger, metrics }) },
  });
});
afterAll(async () => {
  await fx?.close();
  await aura?.close();
});

const h = () => authHeaders('acme-approver', 'acme');

it('lists the tenant\'s cases and shows one with its document status and history', async () => {
  const r = await http('GET', `${base}/main/cases`, { headers: h() });
  expect(V.CaseListResponse(r.body)).toBe(true);
  expect(r.body.data.items.map((c: { caseId: string }) => c.caseId).sort()).toEqual(['CASE-2026-0001', 'CASE-2026-0002', 'CASE-2026-0003', 'CASE-2026-0004', 'CASE-2026-0005']);
  const open = await http('GET', `${base}/main/cases?status=OPEN&limit=2`, { headers: h() });
  expect(open.body.data.items.length).toBeLessThanOrEqual(2);
  expect(open.body.data.items.every((c: { status: string }) => c.status === 'OPEN')).toBe(true);
  const d = await http('GET', `${base}/main/cases/CASE-2026-0001`, { headers: h() });
  expect(V.CaseDetailResponse(d.body)).toBe(true);
  expect(d.body.data.case).toMatchObject({ caseId: 'CASE-2026-0001', docKey: '1000-5100000187-2026', belnr: '5100000187', buzei: '001' });
  expect(d.body.data.document.docKey).toBe('1000-5100000187-2026');
  // other tenants see nothing
  expect((await http('GET', `${base}/main/cases`, { headers: authHeaders('g', 'globex') })).body.data.items).toEqual([]);
  expectError(await http('GET', `${base}/main/cases/CASE-2026-0001`, { headers: authHeaders('g', 'globex') }), 404, 'E1004');
  expectError(await http('GET', `${base}/main/cases/CASE%202026`, { headers: h() }), 400, 'E4000');
  expectError(await http('GET', `${base}/main/cases?status=DONE`, { headers: h() }), 400, 'E4000');
  expectError(await http('GET', `${base}/main/cases?limit=0`, { headers: h() }), 400, 'E4000');
  expectError(await http('GET', `${base}/main/cases?limit=abc`, { headers: h() }), 400, 'E4000');
  expectError(await http('GET', `${base}/main/notifications?before=x*`, { headers: h() }), 400, 'E4000');
  expectError(await http('GET', `${base}/main/cases`, { headers: { [HEADERS.TENANT_ID]: 'acme' } }), 401, 'E2000');
});

it('starts an analysis run on Aura with the case evidence and the document line, and applies the result', async () => {
  const r = await http('POST', `${base}/main/cases/CASE-2026-0004/analysis-runs`, { headers: h(), body: { runId: 'run-case4-1', mode: 'QUICK' } });
  expect(r.status).toBe(202);
  expect(V.CaseAnalysisStartedResponse(r.body)).toBe(true);
  expect(r.body.data).toEqual({ caseId: 'CASE-2026-0004', runId: 'run-case4-1', streamUrl: '/api/aura/analysis-runs/run-case4-1/stream' });
  expect(aura.invalid).toEqual([]);
  const sent = aura.runRequests.find((x) => x.body.runId === 'run-case4-1')!;
  expect(sent.caseId).toBe('CASE-2026-0004');
  // The backend calls Aura's internal operation as itself, not with the user's token.
  expect(sent.headers.authorization).not.toBe(h()[HEADERS.AUTHORIZATION]);
  expect(verifyToken(JWT_SECRET, String(sent.headers.authorization).replace(/^Bearer /, ''))).toMatchObject({ sub: 'main-service', tenant_id: 'acme', role: SERVICE_ROLE });
  expect(sent.headers[HEADERS.TENANT_ID.toLowerCase()]).toBe('acme');
  expect(sent.body).toMatchObject({ caseId: 'CASE-2026-0004', mode: 'QUICK', requestedBy: 'acme-approver', body_evidence: { doc_id: '5100000398', item_id: '001' } });
  expect(sent.body.evidence).toMatchObject({ doc_id: '5100000398', item_id: '001', document: { docKey: '1000-5100000398-2026' }, partyIds: ['V100871'] });
  expect(sent.body.evidence.document?.items?.length).toBeGreaterThan(0);

  const c = await eventually(async () => {
    const d = await http('GET', `${base}/main/cases/CASE-2026-0004`, { headers: h() });
    return d.body.data.case.score === 0.91 ? d.body.data.case : undefined;
  }, 'the run result applied to the case');
  expect(c).toMatchObject({ severity: 'HIGH', score: 0.91, lastRunId: 'run-case4-1' });

  // without a body: a fresh run id
  const r2 = await http('POST', `${base}/main/cases/CASE-2026-0002/analysis-runs`, { headers: h() });
  expect(r2.status).toBe(202);
  expect(r2.body.data.runId).toMatch(/^run-/);
});

it('maps Aura failures to 502/504 and rejects bad input', async () => {
  expectError(await http('POST', `${base}/main/cases/NOPE/analysis-runs`, { headers: h() }), 404, 'E1004');
  expectError(await http('POST', `${base}/main/cases/CASE-2026-0001/analysis-runs`, { headers: h(), body: { runId: 'a b' } }), 400, 'E4000');
  expectError(await http('POST', `${base}/main/cases/CASE-2026-0001/analysis-runs`, { headers: h(), body: { extra: true } }), 400, 'E4000');
  expectError(await http('POST', `${base}/main/cases/CASE-2026-0001/analysis-runs`, { headers: h(), raw: '{' }), 400, 'E1001');
  const down = await fx.start({ config: mainConfig({ AURA_URL: 'http://127.0.0.1:1' }) });
  expectError(await http('POST', `${down}/main/cases/CASE-2026-0001/analysis-runs`, { headers: h() }), 502, 'E5000');
  // an Aura that accepts the connection and never answers
  const { createServer } = await import('node:net');
  const sockets: import('node:net').Socket[] = [];
  const hang = createServer((s) => sockets.push(s));
  await new Promise<void>((r) => hang.listen(0, '127.0.0.1', r));
  const port = (hang.address() as import('node:net').AddressInfo).port;
  const slow = await fx.start({ config: mainConfig({ AURA_URL: `http://127.0.0.1:${port}`, AURA_TIMEOUT_MS: '300' }) });
  try {
    expectError(await http('POST', `${slow}/main/cases/CASE-2026-0001/analysis-runs`, { headers: h() }), 504, 'E5001');
  } finally {
    for (const s of sockets) s.destroy();
    hang.close();
  }
});

it('tells Aura about a decision with RecordAction, retrying a failing Aura; a dead Aura never fails the decision', async () => {
  aura.failRecords = 1;
  const rec = await putHitlRequest(fx.redis, { context: { caseId: 'CASE-2026-0003', docKey: '1000-5100000342-2026' } });
  const r = await http('POST', `${base}/aura/hitl/reject/${rec.requestId}`, { headers: h(), body: { reason: 'documented' } });
  expect(r.status).toBe(200);
  const got = await eventually(async () => aura.records.find((x) => x.request_id === rec.requestId), 'the decision recorded at the fake Aura');
  expect(got).toEqual({ case_id: 'CASE-2026-0003', request_id: rec.requestId, executor_id: 'acme-approver', approved: false, comment: 'documented', doc_key: '1000-5100000342-2026' });
  expect(await counterValue(metrics.auraRecordRetries)).toBeGreaterThanOrEqual(1);

  const failuresBefore = await counterValue(metrics.auraRecordFailures);
  aura.failRecords = 10;
  const rec2 = await putHitlRequest(fx.redis, { context: { caseId: 'CASE-2026-0001' } });
  expect((await http('POST', `${base}/aura/hitl/approve/${rec2.requestId}`, { headers: h() })).status).toBe(200);
  await eventually(async () => (await counterValue(metrics.auraRecordFailures)) === failuresBefore + 1, 'one more record-action failure counted');
  aura.failRecords = 0;
});

it('a run the backend was following when it stopped is followed again at start-up (with a service token) and applied', async () => {
  // Aura has the run; the backend recorded it as the case's last run but never applied its result.
  aura.runRequests.push({ caseId: 'CASE-2026-0003', body: { runId: 'run-restart-1', caseId: 'CASE-2026-0003', evidence: {} }, headers: {} });
  aura.result = { score: 0.42, severity: 'MEDIUM' };
  await fx.database.db
    .updateTable('cases')
    .set({ last_run_id: 'run-restart-1', last_run_applied_at: null, score: null, severity: null })
    .where('case_id', '=', 'CASE-2026-0003')
    .execute();
  const restarted = await fx.start({ config: mainConfig({ AURA_URL: aura.url, AURA_TIMEOUT_MS: '2000' }), metrics });
  await eventually(async () => {
    const c = await http('GET', `${restarted}/main/cases/CASE-2026-0003`, { headers: h() });
    return c.body.data.case.score === 0.42;
  }, 'the restarted service applies the missed result');
  const row = await fx.database.db.selectFrom('cases').select(['severity', 'last_run_applied_at']).where('case_id', '=', 'CASE-2026-0003').executeTakeFirstOrThrow();
  expect(row.severity).toBe('MEDIUM');
  expect(row.last_run_applied_at).toBeInstanceOf(Date);
});
