import Redis from 'ioredis';
import { LlmServer, type Reply } from './llm-server';
import { decideAs, freshCase, isolatedRedisUrl, names, startModelAura } from './model-support';
import { type Aura, postStream } from './support';

const DB = 11;
const TIMEOUT_MS = 400;

/** Every way a model can fail hands the rest of the run to the built-in agent; the stream's guarantees do not move. */
describe('fallback to the built-in agent', () => {
  let llm: LlmServer;
  let aura: Aura;
  let redis: Redis;

  beforeAll(async () => {
    llm = await LlmServer.start();
    aura = await startModelAura(llm, DB, { AURA_LLM_TIMEOUT_MS: String(TIMEOUT_MS), AURA_LLM_MAX_STEPS: '3' });
    redis = new Redis(isolatedRedisUrl(DB));
  });
  afterAll(async () => {
    redis.disconnect();
    await aura.close();
    await llm.close();
  });

  const lookup: Reply = { kind: 'tools', calls: [{ name: 'lookup_case', args: {} }] };
  const failures: [string, (caseId: string) => Reply[], RegExp][] = [
    ['an HTTP error', () => [{ kind: 'status', status: 503, body: 'overloaded' }], /failed \(http: HTTP 503: overloaded\)/],
    ['a timeout', () => [{ kind: 'hang' }], new RegExp(`failed \\(timeout: no answer for ${TIMEOUT_MS} ms\\)`)],
    ['malformed JSON in the stream', () => [{ kind: 'broken', deltas: ['Let me'], tail: ['data: {"choices": [ {"delta": \n\n'] }], /failed \(malformed: not JSON/],
    ['a stream cut before [DONE]', () => [{ kind: 'broken', deltas: ['Let me'], tail: [] }], /failed \(malformed: the stream ended before \[DONE\]\)/],
    ['an unknown tool', (c) => [lookup, { kind: 'tools', calls: [{ name: 'wire_money', args: { caseId: c } }] }], /called an unknown tool "wire_money"/],
    ['arguments that are not JSON', () => [{ kind: 'tools', calls: [{ name: 'lookup_document', args: '{"docId": 12' }] }], /gave lookup_document arguments that are not JSON/],
    ['arguments its schema refuses', (c) => [{ kind: 'tools', calls: [{ name: 'block_payment', args: { caseId: c, reason: 42 } }] }], /gave block_payment invalid arguments \(data\/reason must be string\)/],
    ['no action at all', () => [{ kind: 'text', deltas: ['It looks fine to me.'] }], /ended its turn without proposing an action/],
    ['too many steps', () => [lookup, lookup, lookup], /did not propose an action within 3 steps/],
  ];

  it.each(failures)('on %s the built-in agent takes over for the rest of the run, and says so', async (_what, script, reason) => {
    const caseId = freshCase();
    llm.play(script(caseId));
    const s = postStream(aura, { prompt: `Check case ${caseId} for a duplicate payment`, context: { caseId } });
    await s.until((x) => !!x.event('hitl'), 'hitl');
    const asked = llm.about(caseId).length;
    const handover = s.frames.find((f) => f.event === 'thought' && f.data.sources.includes('fallback:builtin'));
    expect(handover?.data.thoughtType).toBe('reflection');
    expect(handover!.data.content).toMatch(reason);
    expect(handover!.data.content).toContain("Aura's built-in agent takes over for the rest of this run");
    // The built-in agent's own sequence follows the handover.
    const from = s.frames.indexOf(handover!);
    expect(names(s.frames.slice(from + 1, from + 6))).toEqual(['thought', 'plan_step', 'plan_step', 'plan_step', 'plan_step_update']);
    expect(s.event('hitl')!.data.actionType).toBe('PAYMENT_BLOCK');
    expect(names(s.frames)[1]).toBe('thought');

    await decideAs(redis, s.event('hitl')!.data, true);
    await s.toEnd();
    expect(names(s.frames).slice(names(s.frames).indexOf('hitl') + 1)).toEqual(['tool_execution', 'content', 'end']);
    expect(s.frames.at(-2)!.data.content).toBe(`PAYMENT_BLOCK for case ${caseId} was approved and executed.`);
    // "The rest of the run": the model is not asked again, not even for the conclusion.
    expect(llm.about(caseId)).toHaveLength(asked);
  });

  it('plan steps the model left open are marked skipped at the handover', async () => {
    const caseId = freshCase();
    llm.play([{ kind: 'tools', calls: [{ name: 'plan', args: { steps: [{ id: 'm1', description: 'look', status: 'completed' }, { id: 'm2', description: 'decide' }] } }] }, { kind: 'status', status: 500 }]);
    const s = postStream(aura, { prompt: 'Review', context: { caseId } });
    await s.until((x) => !!x.event('hitl'), 'hitl');
    expect(s.frames.filter((f) => f.event === 'plan_step_update' && f.data.stepId.startsWith('m')).map((f) => [f.data.stepId, f.data.status])).toEqual([
      ['m1', 'completed'],
      ['m2', 'skipped'],
    ]);
    await decideAs(redis, s.event('hitl')!.data, false);
    await s.toEnd();
  });

  const propose = (caseId: string): Reply => ({ kind: 'tools', calls: [{ name: 'block_payment', args: { caseId, reason: 'duplicate' } }] });

  it('a model that fails on the conclusion: the built-in words, the order unchanged', async () => {
    const caseId = freshCase();
    llm.play([propose(caseId), { kind: 'status', status: 500 }]);
    const s = postStream(aura, { prompt: 'Review', context: { caseId } });
    await s.until((x) => !!x.event('hitl'), 'hitl');
    await decideAs(redis, s.event('hitl')!.data, false, 'genuine');
    await s.toEnd();
    expect(names(s.frames).slice(names(s.frames).indexOf('hitl') + 1)).toEqual(['tool_execution', 'content', 'end']);
    expect(s.frames.at(-2)!.data).toMatchObject({ content: `PAYMENT_BLOCK for case ${caseId} was rejected (genuine); nothing was executed.`, chunk: 0 });
    expect(llm.about(caseId)).toHaveLength(2);
  });

  it('a model that breaks off mid-answer: its deltas stay, the built-in words end the answer', async () => {
    const caseId = freshCase();
    llm.play([propose(caseId), { kind: 'broken', deltas: ['The payment ', 'was '], tail: ['data: not-json\n\n'] }]);
    const s = postStream(aura, { prompt: 'Review', context: { caseId } });
    await s.until((x) => !!x.event('hitl'), 'hitl');
    await decideAs(redis, s.event('hitl')!.data, true);
    await s.toEnd();
    const content = s.frames.filter((f) => f.event === 'content');
    expect(content.map((f) => f.data.chunk)).toEqual([0, 1, 2]);
    expect(content.slice(0, 2).map((f) => f.data.content)).toEqual(['The payment ', 'was ']);
    expect(content[2].data.content).toContain(`The model stopped answering; Aura's built-in agent ends the answer.) PAYMENT_BLOCK for case ${caseId} was approved and executed.`);
    expect(s.frames.at(-1)!.data.status).toBe('approved');
  });
});
