import Redis from 'ioredis';
import { alertAddress, auraAnalysisStreamKey, parseAlertMessage, parseRagStatusMessage, ragStatusAddress } from '../../generated/redis';
import * as V from '../../generated/validators/schemas';
import { http } from '../support/http';
import { testRedisUrl } from '../support/redis';
import { authHeaders } from '../support/auth';
import { openSse } from '../support/sse';
import { type Aura, serviceHeaders, collect, startAura, ours } from './support';

const REGULATION = [
  '지급 규정',
  '제1조 (목적) 이 규정은 지급 절차를 정한다.',
  '제2조 (한도) ① 건당 1억원을 초과하는 지급은 승인이 필요하다.',
  '② 동일 거래처에 같은 금액을 중복 지급하여서는 아니 된다.',
  '제3조 (휴일) 휴일 또는 주말에 전기한 전표는 검토 대상이다.',
].join('\n');

const uniq = (p: string) => `${p}-${Date.now()}-${Math.random().toString(36).slice(2, 7)}`;

function evidence() {
  return {
    document: {
      docKey: '1000-5100000123-2026',
      header: { bukrs: '1000', belnr: '5100000123', gjahr: '2026', vendorId: 'V100' },
      items: [
        { buzei: 1, amount: 5000, postingDate: '2026-03-04', vendorId: 'V100' },
        { buzei: 2, amount: 250_000_000, postingDate: '2026-03-07', vendorId: 'V999' },
      ],
    },
    openItems: [{ belnr: '5100000999', buzei: '001', vendorId: 'V100', amount: 5000 }],
    partyIds: ['V100'],
    evidence: [],
    ragRefs: [],
    policies: [],
  };
}

describe('analysis runs and RAG', () => {
  let aura: Aura;
  let redis: Redis;
  const tenant = uniq('tenant');
  const headers = { ...serviceHeaders(tenant), 'content-type': 'application/json' };

  beforeAll(async () => {
    aura = await startAura();
    redis = new Redis(testRedisUrl());
  });
  afterAll(async () => {
    redis.disconnect();
    await aura.close();
  });

  async function runToEnd(caseId: string, body: Record<string, unknown>) {
    const res = await http('POST', `${aura.url}/aura/cases/${caseId}/analysis-runs`, { headers, body });
    expect(res.status).toBe(202);
    expect(V.AnalysisRunAccepted(res.body)).toBe(true);
    const s = openSse(`${aura.url}${res.body.streamUrl.replace(/^\/api/, '')}`, { headers }, 'StreamAnalysisRun');
    await s.toEnd();
    const status = await http('GET', `${aura.url}/aura/analysis-runs/${body.runId}`, { headers });
    expect(V.AnalysisRunStatusResponse(status.body)).toBe(true);
    return { accepted: res.body, stream: s, run: status.body.data };
  }

  it('ingests a regulation by article and clause, publishes RAG_STATUS, and the analysis cites its chunks', async () => {
    const status = await collect(ragStatusAddress());
    const ing = await http('POST', `${aura.url}/aura/rag/documents`, { headers, body: { documentId: 'reg-pay', title: '지급 규정', content: REGULATION } });
    expect(ing.status).toBe(200);
    expect(V.RagDocumentResponse(ing.body)).toBe(true);
    expect(ing.body.data).toEqual({ ragDocumentId: 'reg-pay', chunksAdded: 5 });
    await status.flush();
    const mine = ours(status.messages, (o) => o.tenant_id === tenant, parseRagStatusMessage);
    status.close();
    expect(mine).toEqual([expect.objectContaining({ rag_document_id: 'reg-pay', chunks_added: 5, message: '학습 완료' })]);

    const alerts = await collect(alertAddress());
    const runId = uniq('run');
    const { stream, run } = await runToEnd('CASE-A', { runId, evidence: evidence() });
    const names = stream.frames.map((f) => f.event);
    expect(names[0]).toBe('started');
    expect(names.at(-1)).toBe('completed');
    expect(names).toEqual(expect.arrayContaining(['step', 'evidence', 'confidence', 'proposal']));
    expect(stream.frames.map((f) => f.id)).toEqual(stream.frames.map((_, i) => `${runId}:${i + 1}`));
    expect(run.status).toBe('COMPLETED');
    const rules = run.result.citations.filter((c: any) => c.kind === 'rule').map((c: any) => c.ref);
    expect(rules).toEqual(expect.arrayContaining(['DUPLICATE_INVOICE', 'AMOUNT_OVER_POLICY', 'WEEKEND_OR_HOLIDAY_POSTING', 'VENDOR_NOT_A_PARTY']));
    const chunks = run.result.citations.filter((c: any) => c.kind === 'rag_chunk').map((c: any) => c.ref);
    expect(chunks).toContain('reg-pay#3'); // 제2조 ② — the duplicate-payment clause
    expect(run.result.severity).toBe('HIGH');
    expect(run.result.summary).toContain('[rag_chunk:reg-pay#3]');
    expect(run.result.proposals.map((p: any) => p.type)).toContain('PAYMENT_BLOCK');
    await alerts.flush();
    const mineAlerts = ours(alerts.messages, (o) => o.tenant_id === tenant, parseAlertMessage);
    alerts.close();
    expect(mineAlerts).toEqual([expect.objectContaining({ case_id: 'CASE-A', severity: 'HIGH', score: run.result.score })]);
  });

  it('doc_id/item_id from body_evidence, evidence or docKey (string or number): that line is evaluated and cited first', async () => {
    const without = await runToEnd('CASE-B', { runId: uniq('run'), evidence: { ...evidence(), document: { ...evidence().document, docKey: undefined } } });
    expect(without.run.result.citations[0].kind).toBe('rule');
    const firstLineWithout = without.stream.frames.find((f) => f.event === 'evidence')!.data.items[0];
    expect(firstLineWithout.buzei).toBe(1);

    const viaBody = await runToEnd('CASE-B', { runId: uniq('run'), evidence: evidence(), body_evidence: { doc_id: 5100000123, item_id: 2 } });
    expect(viaBody.run.result.citations[0]).toEqual(expect.objectContaining({ kind: 'document_line', ref: 'document:5100000123/2' }));
    const firstLine = viaBody.stream.frames.find((f) => f.event === 'evidence')!.data.items[0];
    expect(firstLine).toMatchObject({ buzei: 2, target: true });
    // The target's own findings come first among the rules.
    expect(viaBody.run.result.citations[1].ref).toBe('AMOUNT_OVER_POLICY');

    const viaEvidence = await runToEnd('CASE-B', { runId: uniq('run'), evidence: { ...evidence(), doc_id: '5100000123', item_id: '0002' } });
    expect(viaEvidence.run.result.citations[0].ref).toBe('document:5100000123/2');

    const viaDocKey = await runToEnd('CASE-B', {
      runId: uniq('run'),
      evidence: { ...evidence(), document: { ...evidence().document, docKey: '1000-5100000123-2026-1' } },
    });
    expect(viaDocKey.run.result.citations[0].ref).toBe('document:5100000123/1');

    const missing = await runToEnd('CASE-B', { runId: uniq('run'), evidence: evidence(), body_evidence: { doc_id: '5100000123', item_id: '9' } });
    expect(missing.run.result.citations.map((c: any) => c.ref)).toContain('MISSING_DOCUMENT_LINE');
    expect(missing.run.result.proposals.map((p: any) => p.type)).toContain('REQUEST_INFO');
  });

  it('a clean case scores 0 and is LOW', async () => {
    const { run } = await runToEnd('CASE-C', {
      runId: uniq('run'),
      evidence: { document: { header: { vendorId: 'V1' }, items: [{ buzei: 1, amount: 10, postingDate: '2026-03-04' }] }, partyIds: ['V1'] },
    });
    expect(run.result).toMatchObject({ severity: 'LOW', score: 0 });
  });

  it('the same runId is the same run; another case with that runId is a 409; resume by Last-Event-ID', async () => {
    const runId = uniq('run');
    const first = await runToEnd('CASE-D', { runId, evidence: evidence() });
    const again = await http('POST', `${aura.url}/aura/cases/CASE-D/analysis-runs`, { headers, body: { runId, evidence: {} } });
    expect(again.status).toBe(202);
    expect(again.body.runId).toBe(runId);
    expect(await redis.xlen(auraAnalysisStreamKey({ runId }))).toBe(first.stream.frames.length + 1); // no second run wrote events
    const conflict = await http('POST', `${aura.url}/aura/cases/CASE-E/analysis-runs`, { headers, body: { runId, evidence: {} } });
    expect([conflict.status, conflict.body.errorCode]).toEqual([409, 'E3006']);
    const other = await http('GET', `${aura.url}/aura/analysis-runs/${runId}`, { headers: authHeaders('requester', 'globex') });
    expect(other.status).toBe(404);

    const resumed = openSse(`${aura.url}/aura/analysis-runs/${runId}/stream`, { headers: { ...headers, 'last-event-id': first.stream.frames[2].id! } }, 'StreamAnalysisRun');
    await resumed.toEnd();
    expect(resumed.frames).toEqual(first.stream.frames.slice(3));
    const bad = openSse(`${aura.url}/aura/analysis-runs/${runId}/stream`, { headers: { ...headers, 'last-event-id': `${runId}:999` } }, 'StreamAnalysisRun');
    await bad.toEnd();
    expect(bad.frames.map((f) => f.event)).toEqual(['error']);
  });
});
