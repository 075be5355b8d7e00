// Consumer: the backend calling Aura over HTTP with its real code — the generated client as the
// backend configures it (`auraClient`), the real request builder (`analysisRunRequest`) and the
// real action recorder (`createActionRecorder`).
import { MatchersV3 as M, PactV4, SpecificationVersion } from '@pact-foundation/pact';
import pino from 'pino';
import { HEADERS } from '../../../../generated/contract';
import type * as S from '../../../../generated/schemas';
import { auraClient } from '../../../../src/main/aura/client';
import { createActionRecorder } from '../../../../src/main/aura/record-action';
import { analysisRunRequest } from '../../../../src/main/cases/evidence';
import { ledgerEntry } from '../../../../src/main/case-actions/entry';
import { createMainMetrics } from '../../../../src/main/metrics';
import type { Case } from '../../../../src/shared/db/schema';
import { DwpApiError } from '../../../../generated/sdk';
import { ServiceClient } from '../../../../generated/service-client';
import { token } from '../../../support/auth';
import { BEARER, EXAMPLE_TOKEN, EXAMPLE_USER_TOKEN, PACT_DIR, PACTICIPANTS, TENANT } from '../names';

const pact = new PactV4({ consumer: PACTICIPANTS.main, provider: PACTICIPANTS.aura, dir: PACT_DIR, spec: SpecificationVersion.SPECIFICATION_VERSION_V4, logLevel: 'warn' });

// The backend signs its own service credential; the pact matches any bearer token, and the
// provider's verification replaces it with one signed by the provider's secret.
const CONSUMER_SECRET = 'pact-consumer-secret-'.padEnd(40, 'x');

const authHeaders = { [HEADERS.AUTHORIZATION]: M.regex(BEARER, `Bearer ${EXAMPLE_TOKEN}`), [HEADERS.TENANT_ID]: TENANT };
const ID = /^[A-Za-z0-9._:-]{1,128}$/;
const ISO = '^\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}(\\.\\d+)?(Z|[+-]\\d{2}:\\d{2})$';

function client(url: string) {
  return auraClient({ baseUrl: url, jwtSecret: CONSUMER_SECRET, tenantId: TENANT, timeoutMs: 5000 });
}

// A stored case as the database row holds it (the seed's first case).
const storedCase = {
  case_id: 'CASE-2026-0001',
  tenant_id: TENANT,
  doc_key: '1000-5100000187-2026',
  bukrs: '1000',
  belnr: '5100000187',
  gjahr: '2026',
  buzei: '001',
  evidence: { evidence: [], ragRefs: [], document: { header: { BUKRS: '1000', BELNR: '5100000187', GJAHR: '2026' }, items: [], docKey: '1000-5100000187-2026' }, openItems: [], partyIds: ['V100234'], lineage: {}, policies: [] },
} as unknown as Case;

const accepted = (caseId: string) => ({
  status: 'ACCEPTED',
  caseId,
  runId: M.regex(ID, 'run-pact-1'),
  streamUrl: M.regex('^/.+/stream$', '/api/aura/analysis-runs/run-pact-1/stream'),
  message: M.string('Analysis run accepted'),
});

test('CreateAnalysisRun with body_evidence ids as strings (what the backend sends)', async () => {
  const body = analysisRunRequest(storedCase, { runId: 'run-pact-1', requestedBy: 'acme-approver' });
  expect(body.body_evidence).toEqual({ doc_id: '5100000187', item_id: '001' });
  await pact
    .addInteraction()
    .uponReceiving('an analysis run for a case, body_evidence ids as strings')
    .withRequest('POST', '/aura/cases/CASE-2026-0001/analysis-runs', (b) => b.headers(authHeaders).jsonBody({ ...body, runId: M.regex(ID, body.runId) }))
    .willRespondWith(202, (b) => b.headers({ 'Content-Type': M.regex('application/json(;.*)?', 'application/json; charset=utf-8') }).jsonBody(accepted('CASE-2026-0001')))
    .executeTest(async (mock) => {
      const res = await client(mock.url).createAnalysisRun({ params: { caseId: 'CASE-2026-0001' }, body });
      expect(res).toMatchObject({ status: 'ACCEPTED', caseId: 'CASE-2026-0001' });
    });
});

test('CreateAnalysisRun with body_evidence ids as numbers (older callers; Aura normalises them)', async () => {
  const fromCase = analysisRunRequest(storedCase, { runId: 'run-pact-2', requestedBy: 'acme-approver' });
  const body = { ...fromCase, body_evidence: { doc_id: 5100000187, item_id: 1 } } as unknown as S.AnalysisRunRequest;
  await pact
    .addInteraction()
    .uponReceiving('an analysis run for a case, body_evidence ids as numbers')
    .withRequest('POST', '/aura/cases/CASE-2026-0001/analysis-runs', (b) => b.headers(authHeaders).jsonBody({ ...body, runId: M.regex(ID, 'run-pact-2') }))
    .willRespondWith(202, (b) => b.jsonBody(accepted('CASE-2026-0001')))
    .executeTest(async (mock) => {
      const res = await client(mock.url).createAnalysisRun({ params: { caseId: 'CASE-2026-0001' }, body });
      expect(res.status).toBe('ACCEPTED');
    });
});

test('RecordAction for an approved decision, sent by the real action recorder', async () => {
  const record: S.HitlRequestRecord = {
    requestId: 'req-pact-1',
    sessionId: 'sess-pact-1',
    userId: 'acme-requester',
    tenantId: TENANT,
    actionType: 'PAYMENT_BLOCK',
    context: { caseId: 'CASE-2026-0001', docKey: '1000-5100000187-2026' },
    status: 'pending',
    createdAt: 1770000000,
  };
  const entry = ledgerEntry(record, { status: 'approved', deciderId: 'acme-approver', at: 1770000100 });
  await pact
    .addInteraction()
    .given('request req-pact-1 on case CASE-2026-0001 was approved by acme-approver and no action was recorded for it', { requestId: 'req-pact-1', caseId: 'CASE-2026-0001', decidedBy: 'acme-approver' })
    .uponReceiving('a decision recorded with Aura')
    .withRequest('POST', '/aura/action/record', (b) =>
      b.headers(authHeaders).jsonBody({ case_id: 'CASE-2026-0001', request_id: M.regex(ID, 'req-pact-1'), executor_id: 'acme-approver', approved: true, doc_key: '1000-5100000187-2026' }),
    )
    .willRespondWith(200, (b) =>
      b.jsonBody({ status: 'SUCCESS', success: true, message: M.string('Action recorded'), timestamp: M.regex(ISO, '2026-02-11T12:00:00.000Z'), data: { ok: true, logged: true } }),
    )
    .executeTest(async (mock) => {
      const recorder = createActionRecorder({ auraUrl: mock.url, jwtSecret: CONSUMER_SECRET, timeoutMs: 5000, attempts: 1, backoffMs: 1, log: pino({ level: 'silent' }), metrics: createMainMetrics() });
      expect(await recorder(entry, { tenantId: TENANT })).toBe(true);
    });
});

test('RecordAction with a user\'s token instead of the service credential is refused: 403 E1003', async () => {
  // Not something the backend sends: the pact pins that Aura's internal operations take only a
  // service credential, so a user's token that reaches Aura cannot record a decision.
  const userToken = token('acme-approver', TENANT, { secret: CONSUMER_SECRET, role: 'APPROVER' });
  const body = { case_id: 'CASE-2026-0001', request_id: 'req-pact-user', executor_id: 'acme-approver', approved: true };
  await pact
    .addInteraction()
    .uponReceiving('a decision recorded with a user\'s token')
    .withRequest('POST', '/aura/action/record', (b) =>
      b.headers({ [HEADERS.AUTHORIZATION]: M.regex(BEARER, `Bearer ${EXAMPLE_USER_TOKEN}`), [HEADERS.TENANT_ID]: TENANT }).jsonBody(body),
    )
    .willRespondWith(403, (b) =>
      b.jsonBody({ status: 'ERROR', success: false, message: M.string('RecordAction is a service-to-service operation'), timestamp: M.regex(ISO, '2026-02-11T12:00:00.000Z'), errorCode: 'E1003', data: null }),
    )
    .executeTest(async (mock) => {
      const c = new ServiceClient({ baseUrl: mock.url, direct: true, tenantId: TENANT, token: userToken });
      const err = await c.recordAction({ body }).then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(err).toBeInstanceOf(DwpApiError);
      expect(err).toMatchObject({ status: 403, errorCode: 'E1003', data: null });
    });
});

// started first, completed last, then [DONE]: what the backend's run follower relies on.
const SSE_RUN = '^id: [^\\n]+\\nevent: started\\n[\\s\\S]*\\nevent: completed\\ndata: [^\\n]+\\n\\ndata: \\[DONE\\]\\n\\n$';

test('StreamAnalysisRun: the run stream the backend follows opens as SSE and ends with [DONE]', async () => {
  // The run's events vary (ids, times, wording); the pact fixes the framing and the terminal events.
  const example =
    'id: run-pact-3:1\nevent: started\ndata: {"runId":"run-pact-3","caseId":"CASE-2026-0001","at":1770000000}\n\n' +
    'id: run-pact-3:2\nevent: completed\ndata: {"status":"COMPLETED","runId":"run-pact-3","caseId":"CASE-2026-0001","summary":"ok","score":0.9,"severity":"HIGH"}\n\n' +
    'data: [DONE]\n\n';
  await pact
    .addInteraction()
    .given('analysis run run-pact-3 on case CASE-2026-0001 has finished', { runId: 'run-pact-3', caseId: 'CASE-2026-0001' })
    .uponReceiving('a request for the analysis run stream')
    .withRequest('GET', '/aura/analysis-runs/run-pact-3/stream', (b) => b.headers({ ...authHeaders, Accept: 'text/event-stream' }))
    .willRespondWith(200, (b) =>
      b
        .headers({ 'Content-Type': M.regex('text/event-stream(;.*)?', 'text/event-stream; charset=utf-8') })
        .body('text/plain', Buffer.from(example)) // pact compares text bodies only as text/plain; the header says SSE
        .matchingRules({ body: { path: '$', rules: [M.regex(SSE_RUN, example)] } }),
    )
    .executeTest(async (mock) => {
      const events: string[] = [];
      for await (const ev of client(mock.url).streamAnalysisRun({ params: { runId: 'run-pact-3' } }, { maxReconnects: 0 })) {
        events.push(ev.event);
        if (ev.event === 'completed') expect(ev.data.severity).toBe('HIGH');
      }
      expect(events).toEqual(['started', 'completed']);
    });
});
