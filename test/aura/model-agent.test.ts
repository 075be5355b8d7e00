import Redis from 'ioredis';
import { caseActionAddress, parseCaseActionMessage, readHitlRequestRecord } from '../../generated/redis';
import * as V from '../../generated/validators/schemas';
import { LlmServer } from './llm-server';
import { decideAs, freshCase, isolatedRedisUrl, names, startModelAura, told } from './model-support';
import { authHeaders } from '../support/auth';
import { type Aura, collect, joinStream, ours, postStream, seqOf, streamIdOf } from './support';

const DB = 9;
const SEED_PHASE2 = '지정한 문서·항목(doc_id=5100000123, item_id=2)에 대한 상세 내역을 우선 참고하여 규정 준수 여부를 판단';

describe('Aura on a model: the agent loop over a real OpenAI-compatible server', () => {
  let llm: LlmServer;
  let aura: Aura;
  let redis: Redis;
  let caseActions: Awaited<ReturnType<typeof collect>>;
  const tenant = `llmt${Date.now() % 1e8}`;

  beforeAll(async () => {
    llm = await LlmServer.start();
    aura = await startModelAura(llm, DB);
    redis = new Redis(isolatedRedisUrl(DB));
    caseActions = await collect(caseActionAddress());
    const ingest = async (documentId: string, title: string, content: string) => {
      const res = await fetch(`${aura.url}/aura/rag/documents`, { method: 'POST', headers: { ...authHeaders('requester', tenant), 'content-type': 'application/json' }, body: JSON.stringify({ documentId, title, content, kind: 'text' }) });
      const body = await res.json();
      expect(V.RagDocumentResponse(body)).toBe(true);
    };
    // The general regulation matches the query better (its words repeat); the audit note names the target line.
    await ingest('reg-general', '지급 규정', '중복 지급 금지. 동일 거래처에 대한 중복 지급은 중복 지급 심사 후 차단한다. 중복 지급 확인.');
    await ingest('audit-5100000123', 'Audit note', 'Audit note on document 5100000123 line 002: 중복 지급 suspected, same invoice INV-9 paid twice.');
  });
  afterAll(async () => {
    caseActions.close();
    redis.disconnect();
    await aura.close();
    await llm.close();
  });

  it('prompt → plan and tool calls → hitl → approve → the action runs → the answer streams token by token; the Phase2 prompt of the seeds', async () => {
    const caseId = freshCase();
    const deltas = ['Line 2 of 5100000123 ', 'duplicates INV-9; ', 'the payment is ', 'blocked.'];
    llm.play([
      {
        kind: 'tools',
        text: 'I will judge line 2 of document 5100000123 first.',
        calls: [
          { name: 'plan', args: { steps: [{ id: 'line', description: 'Judge line 5100000123/2 first' }, { id: 'regs', description: 'Find the regulation' }, { id: 'propose', description: 'Propose an action' }] } },
          { name: 'lookup_case', args: {} },
        ],
      },
      { kind: 'tools', calls: [{ name: 'plan', args: { steps: [{ id: 'line', description: 'Judge line 5100000123/2 first', status: 'in_progress' }] } }, { name: 'lookup_document', args: { docId: 5100000123, itemId: 2 } }] },
      { kind: 'tools', calls: [{ name: 'search_regulations', args: { query: '중복 지급', limit: 2 } }] },
      { kind: 'tools', text: 'INV-9 was paid twice: block.', calls: [{ name: 'block_payment', args: { caseId, reason: 'Line 2 duplicates invoice INV-9', docId: 5100000123, itemId: 2 } }] },
      { kind: 'text', deltas },
    ]);
    const context = {
      caseId,
      docKey: '1000-5100000123-2026',
      vendorName: 'ACME-VENDOR-77',
      body_evidence: { doc_id: 5100000123, item_id: 2 },
      evidence: { document: { header: { bukrs: '1000', belnr: '5100000123', lifnr: 'V-77' }, items: [{ buzei: 1, wrbtr: 100 }, { buzei: '002', wrbtr: 5000, xblnr: 'INV-9' }] } },
    };
    const prompt = `Review case ${caseId}: is the payment a duplicate?`;
    const s = postStream(aura, { prompt, context }, authHeaders('requester', tenant));
    await s.until((x) => !!x.event('hitl'), 'hitl');
    const hitl = s.event('hitl')!.data;

    // What the model was told, at every step: the rules, the request, the case facts and the seeds' Phase2 priority.
    const reqs = llm.about(caseId);
    expect(reqs).toHaveLength(4);
    for (const r of reqs) {
      expect(r.body).toMatchObject({ model: 'scripted-model', stream: true });
      expect(r.body.tools.map((t: any) => t.function.name).sort()).toEqual(['block_payment', 'check_rules', 'lookup_case', 'lookup_document', 'plan', 'request_info', 'search_regulations']);
      const [system, user] = r.body.messages;
      expect(system.role).toBe('system');
      expect(system.content).toContain(SEED_PHASE2);
      expect(user.content).toContain(prompt);
      expect(user.content).toContain('"doc_id":"5100000123","item_id":"2"');
      expect(user.content).toContain('ACME-VENDOR-77');
      expect(user.content).toContain('INV-9');
    }
    // Each tool's result went back to the model: the named line only, the audit note on it first.
    const toolMsgs = (i: number) => reqs[i].body.messages.filter((m: any) => m.role === 'tool').map((m: any) => JSON.parse(m.content));
    expect(toolMsgs(1)[1]).toMatchObject({ caseId, doc_id: '5100000123', item_id: '2', targetFrom: 'body_evidence' });
    expect(toolMsgs(2).at(-1).lines).toEqual([expect.objectContaining({ buzei: '002', xblnr: 'INV-9' })]);
    expect(toolMsgs(3).at(-1).hits.map((h: any) => h.documentId)).toEqual(['audit-5100000123', 'reg-general']);

    // Before the decision: proposed, not run.
    expect((await readHitlRequestRecord(redis, { requestId: hitl.requestId }))!.status).toBe('pending');
    expect(s.frames.filter((f) => f.event === 'tool_execution' && f.data.requiresApproval && f.data.status !== 'pending')).toEqual([]);
    await caseActions.flush();
    expect(ours(caseActions.messages, (o) => o.request_id === hitl.requestId, parseCaseActionMessage)).toEqual([]);

    await decideAs(redis, hitl, true);
    await s.toEnd();
    const ev = names(s.frames);
    const at = ev.indexOf('hitl');
    expect(ev.slice(0, 3)).toEqual(['start', 'thought', 'plan_step']);
    expect(ev.indexOf('tool_execution')).toBeGreaterThan(ev.indexOf('plan_step'));
    expect(ev.slice(0, at).every((n) => ['start', 'thought', 'plan_step', 'plan_step_update', 'tool_execution'].includes(n))).toBe(true);
    expect(ev.slice(at + 1)).toEqual(['tool_execution', ...deltas.map(() => 'content'), 'end']);
    expect(s.frames[1].data).toMatchObject({ thoughtType: 'analysis', content: 'I will judge line 2 of document 5100000123 first.' });
    expect(s.frames.filter((f) => f.event === 'plan_step').map((f) => f.data.stepId)).toEqual(['line', 'regs', 'propose']);
    expect(s.frames.find((f) => f.event === 'plan_step_update')!.data).toMatchObject({ stepId: 'line', status: 'in_progress' });
    const tools = s.frames.filter((f) => f.event === 'tool_execution').map((f) => `${f.data.toolName}:${f.data.status}`);
    expect(tools).toEqual(['lookup_case:running', 'lookup_case:success', 'lookup_document:running', 'lookup_document:success', 'search_regulations:running', 'search_regulations:success', 'block_payment:pending', 'block_payment:success']);
    expect(s.frames[at + 1].data).toMatchObject({ toolName: 'block_payment', requiresApproval: true, toolArgs: { caseId, docId: '5100000123', itemId: '2' } });
    const content = s.frames.filter((f) => f.event === 'content');
    expect(content.map((f) => f.data.content)).toEqual(deltas);
    expect(content.map((f) => f.data.chunk)).toEqual([0, 1, 2, 3]);
    expect(s.frames.at(-1)!.data.status).toBe('approved');
    const streamId = streamIdOf(s.frames[0]);
    expect(s.frames.map((f) => f.id)).toEqual(s.frames.map((_, i) => `${streamId}:${i + 1}`));

    // The conclusion: no tools, the same opening, the run's own story and the decision.
    const conclusion = llm.about(caseId)[4].body;
    expect(conclusion.tools).toBeUndefined();
    expect(conclusion.messages[0].content).toContain(SEED_PHASE2);
    expect(told(conclusion)).toContain(prompt);
    expect(told(conclusion)).toContain('tool lookup_document({"docId":5100000123,"itemId":2}) success');
    expect(told(conclusion)).toMatch(/A human \(approver\) approved PAYMENT_BLOCK; block_payment\(.*"docId":"5100000123"/);

    // Deltas are ordinary events: a client that reconnects after the first one gets the rest, once.
    const firstContent = content[0];
    const j = joinStream(aura, streamId, firstContent.id, authHeaders('requester', tenant));
    await j.toEnd();
    expect(j.frames.map((f) => f.data.content ?? f.event)).toEqual([...deltas.slice(1), 'end']);
    expect(seqOf(j.frames[0])).toBe(seqOf(firstContent) + 1);
    await caseActions.flush();
    expect(ours(caseActions.messages, (o) => o.request_id === hitl.requestId, parseCaseActionMessage)).toEqual([expect.objectContaining({ action_type: 'APPROVE', executor_id: 'approver', case_id: caseId })]);
  });

  it('evidence.document.docKey alone names the line; numbers and strings are normalised alike', async () => {
    const caseId = freshCase();
    llm.play((body) => (body.tools ? { kind: 'tools', calls: [{ name: 'request_info', args: { caseId, reason: 'Need the invoice copy' } }] } : { kind: 'text', deltas: ['Asked.'] }));
    const s = postStream(aura, { prompt: 'Check it', context: { caseId, evidence: { document: { docKey: '1000-5100000777-2026-0003', items: [] } } } }, authHeaders('requester', tenant));
    await s.until((x) => !!x.event('hitl'), 'hitl');
    const first = llm.about(caseId)[0].body;
    expect(first.messages[0].content).toContain('지정한 문서·항목(doc_id=5100000777, item_id=0003)');
    expect(first.messages[1].content).toContain('"targetFrom":"docKey"');
    await decideAs(redis, s.event('hitl')!.data, false, 'not needed');
    await s.toEnd();
    expect(s.frames.at(-1)!.data.status).toBe('rejected');
    // Without a named line, no priority sentence at all.
    const other = freshCase();
    llm.play((body) => (body.tools ? { kind: 'tools', calls: [{ name: 'request_info', args: { caseId: other, reason: 'r' } }] } : { kind: 'text', deltas: ['x'] }));
    const t = postStream(aura, { prompt: 'Check it', context: { caseId: other } }, authHeaders('requester', tenant));
    await t.until((x) => !!x.event('hitl'), 'hitl');
    expect(told(llm.about(other)[0].body)).not.toContain('지정한 문서');
    await decideAs(redis, t.event('hitl')!.data, true);
    await t.toEnd();
  });
});
