import Redis from 'ioredis';
import { auraAgentStreamKey, auraRunLeaseKey } from '../../generated/redis';
import { LlmServer, type Reply } from './llm-server';
import { decideAs, freshCase, isolatedRedisUrl, startModelAura, told } from './model-support';
import { eventually } from '../support/eventually';
import { type Aura, joinStream, postStream, streamIdOf } from './support';

const DB = 12;

/** The model is told the whole case at every step: after the decision, and after another instance took the run over. */
describe('the model gets the prompt, the context and the case facts at every step', () => {
  let llm: LlmServer;
  let redis: Redis;
  const running: Aura[] = [];

  beforeAll(async () => {
    llm = await LlmServer.start();
    redis = new Redis(isolatedRedisUrl(DB));
  });
  afterAll(async () => {
    for (const a of running.splice(0)) await a.close();
    redis.disconnect();
    await llm.close();
  });

  const start = async (env: Record<string, string> = {}) => {
    const a = await startModelAura(llm, DB, env);
    running.push(a);
    return a;
  };

  // Answers whatever a model-backed Aura asks: a lookup, then the action; words for a request without tools
  // (also as one JSON completion, for an Aura that does not stream).
  const script = (caseId: string) => (body: any): Reply => {
    if (!body.tools) return { kind: 'text', deltas: ['Blocked ', 'as approved.'] };
    return body.messages.some((m: any) => m.role === 'tool')
      ? { kind: 'tools', calls: [{ name: 'block_payment', args: { caseId, reason: 'duplicate of INV-9' } }] }
      : { kind: 'tools', calls: [{ name: 'lookup_document', args: { itemId: 2 } }] };
  };
  const contextOf = (caseId: string) => ({ caseId, vendorName: 'ACME-VENDOR-77', evidence: { document: { header: { belnr: '5100000123' }, items: [{ buzei: 2, wrbtr: 5000, xblnr: 'INV-9' }] } } });

  // Fails on the old runner: its conclusion sent the model `prompt: ''` and `context: {}`.
  it('the conclusion after the decision is told the request and the case, not an empty prompt', async () => {
    const aura = await start();
    const caseId = freshCase();
    llm.play(script(caseId));
    const prompt = `Is the payment of ${caseId} a duplicate of INV-9?`;
    const s = postStream(aura, { prompt, context: contextOf(caseId) });
    await s.until((x) => !!x.event('hitl'), 'hitl');
    const beforeDecision = llm.about(caseId).length;
    await decideAs(redis, s.event('hitl')!.data, true);
    await s.toEnd();
    const after = llm.about(caseId).slice(beforeDecision);
    expect(after).toHaveLength(1);
    const conclusion = told(after[0].body);
    expect(conclusion).toContain(prompt);
    expect(conclusion).toContain('ACME-VENDOR-77');
    expect(conclusion).toContain('INV-9');
    expect(s.frames.at(-1)!.data.status).toBe('approved');
  });

  it('after a takeover: the instance that concludes is told the stored request and what the first one did', async () => {
    const A = await start({ AURA_RUN_LEASE_MS: '600', AURA_LLM_API_KEY: 'key-A' });
    const B = await start({ AURA_RUN_LEASE_MS: '600', AURA_LLM_API_KEY: 'key-B' });
    const caseId = freshCase();
    llm.play(script(caseId));
    const prompt = `Review ${caseId} and block it if INV-9 was paid twice`;
    const s = postStream(A, { prompt, context: contextOf(caseId) });
    await s.until((x) => !!x.event('hitl'), 'hitl');
    s.cut();
    const hitl = s.event('hitl')!.data;
    const streamId = streamIdOf(s.frames[0]);
    expect(llm.about(caseId).every((r) => r.headers.authorization === 'Bearer key-A')).toBe(true);

    running.splice(running.indexOf(A), 1);
    await A.close();
    await eventually(async () => (await redis.get(auraRunLeaseKey({ streamId }))) === B.config.instanceId, 'B adopts the run');
    await decideAs(redis, hitl, true);
    await eventually(async () => {
      const last = (await redis.xrevrange(auraAgentStreamKey({ streamId }), '+', '-', 'COUNT', 1)) as [string, string[]][];
      return last.length === 1 && last[0][1][1] === '__done';
    }, 'the run ends');

    const conclusion = llm.about(caseId).at(-1)!;
    expect(conclusion.headers.authorization).toBe('Bearer key-B');
    expect(conclusion.body.tools).toBeUndefined();
    const text = told(conclusion.body);
    expect(text).toContain(prompt);
    expect(text).toContain('ACME-VENDOR-77');
    // A's tool calls, read back from the stream log.
    expect(text).toContain('tool lookup_document({"itemId":2}) success');
    expect(text).toContain('A human (approver) approved PAYMENT_BLOCK');

    const log = joinStream(B, streamId);
    await log.toEnd();
    const at = log.frames.findIndex((f) => f.event === 'hitl');
    expect(log.frames.slice(at + 1).map((f) => f.data.content ?? `${f.event}:${f.data.status}`)).toEqual(['tool_execution:success', 'Blocked ', 'as approved.', 'end:approved']);
    expect(log.frames.map((f) => f.id)).toEqual(log.frames.map((_, i) => `${streamId}:${i + 1}`));
  });
});
