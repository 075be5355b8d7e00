import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Redis from 'ioredis';
import { HEADERS } from '../../generated/contract';
import {
  HITL_REQUEST_TTL_SECONDS,
  caseActionAddress,
  encodeHitlRequestRecord,
  hitlRequestKey,
  parseCaseActionMessage,
  readHitlRequestRecord,
  parseHitlSessionRecord,
  parseWorkbenchNotification,
  hitlSessionKey,
} from '../../generated/redis';
import * as V from '../../generated/validators/schemas';
import { readOutbox } from '../../src/shared/redis/workbench-outbox';
import { unixSeconds } from '../../src/shared/time';
import { expectError, http } from '../support/http';
import { testRedisUrl } from '../support/redis';
import { authHeaders } from '../support/auth';
import { openSse, type SseStream } from '../support/sse';
import { type Aura, collect, decide, postStream, putDecidedRequest, seqOf, serviceHeaders, startAura, streamIdOf, ours } from './support';

const PRE_HITL = ['start', 'thought', 'plan_step', 'plan_step_update', 'tool_execution'];

/** Checks the event order of StartAgentStream's description in openapi.yaml: start → thought → plan_step… → tool_execution… → hitl → tail. */
function expectOrder(events: string[], tail: string[]): void {
  const hitlAt = events.indexOf('hitl');
  expect(hitlAt).toBeGreaterThan(0);
  expect(events[0]).toBe('start');
  expect(events[1]).toBe('thought');
  const firstPlan = events.indexOf('plan_step');
  const firstTool = events.indexOf('tool_execution');
  expect(firstPlan).toBeGreaterThan(1);
  expect(firstTool).toBeGreaterThan(firstPlan);
  expect(events.slice(0, hitlAt).every((e) => PRE_HITL.includes(e))).toBe(true);
  expect(events.filter((e) => e === 'hitl')).toHaveLength(1);
  expect(events.slice(hitlAt + 1)).toEqual(tail);
}

function expectConsecutiveIds(s: SseStream): void {
  const streamId = streamIdOf(s.frames[0]);
  expect(s.frames.map((f) => f.id)).toEqual(s.frames.map((_, i) => `${streamId}:${i + 1}`));
}

describe('agent stream over real SSE and Redis', () => {
  let aura: Aura;
  let redis: Redis;
  let caseActions: Awaited<ReturnType<typeof collect>>;
  const feedbackPath = join(mkdtempSync(join(tmpdir(), 'aura-')), 'feedback.jsonl');

  beforeAll(async () => {
    aura = await startAura({ SSE_HEARTBEAT_MS: '150', HITL_FEEDBACK_LOG_PATH: feedbackPath, HITL_TIMEOUT_SECONDS: '30' });
    redis = new Redis(testRedisUrl());
    caseActions = await collect(caseActionAddress());
  });
  afterAll(async () => {
    caseActions.close();
    redis.disconnect();
    await aura.close();
  });

  const actionsFor = (requestId: string) => ours(caseActions.messages, (o) => o.request_id === requestId, parseCaseActionMessage);

  it('approve: hitl, then the same open stream resumes with success → content → end; one CASE_ACTION', async () => {
    const s = postStream(aura, { prompt: 'Review case DEMO00001 and block the payment if it is a duplicate.', context: { caseId: 'DEMO00001', docKey: '1000-5100000123-2026' } });
    await s.until((x) => !!x.event('hitl'), 'hitl');
    expect(s.status).toBe(200);
    expect(s.headers!.get('content-type')).toBe('text/event-stream; charset=utf-8');
    expect(s.headers!.get('cache-control')).toBe('no-cache');
    expect(s.headers!.get('x-accel-buffering')).toBe('no');
    const hitl = s.event('hitl')!.data;
    expect(hitl).toMatchObject({ actionType: 'PAYMENT_BLOCK', requiresApproval: true, context: { caseId: 'DEMO00001', docKey: '1000-5100000123-2026' } });
    expect(hitl.expiresAt).toBeGreaterThanOrEqual(unixSeconds() + 25);

    // Aura's records, as the backend will read them.
    const req = (await readHitlRequestRecord(redis, { requestId: hitl.requestId }))!;
    expect(req).toMatchObject({ requestId: hitl.requestId, sessionId: hitl.sessionId, tenantId: 'acme', userId: 'requester', status: 'pending' });
    expect(await redis.ttl(hitlRequestKey({ requestId: hitl.requestId }))).toBeGreaterThan(HITL_REQUEST_TTL_SECONDS - 30);
    expect(parseHitlSessionRecord((await redis.get(hitlSessionKey({ sessionId: hitl.sessionId })))!)).toMatchObject({ requestId: hitl.requestId, tenantId: 'acme' });

    // Heartbeats keep the idle connection open during the wait.
    const before = s.comments.length;
    await s.until((x) => x.comments.length >= before + 2, 'two heartbeats during the HITL wait');
    expect(s.comments.slice(before).every((c) => c.trim() === 'ping')).toBe(true);

    // The backend marks the request decided, stores and publishes the signal.
    await redis.set(hitlRequestKey({ requestId: hitl.requestId }), encodeHitlRequestRecord({ ...req, status: 'approved', approvedBy: 'approver', approvedAt: unixSeconds() }), 'EX', 60);
    expect(await decide(redis, hitl.sessionId, hitl.requestId, true)).toBeGreaterThanOrEqual(1);
    await s.toEnd();

    const events = s.frames.map((f) => f.event);
    expectOrder(events, ['tool_execution', 'content', 'end']);
    expect(s.frames.at(-3)!.data).toMatchObject({ status: 'success', requiresApproval: true });
    expect(s.frames.at(-1)!.data).toMatchObject({ status: 'approved' });
    expectConsecutiveIds(s);

    await caseActions.flush();
    const actions = actionsFor(hitl.requestId);
    expect(actions).toHaveLength(1);
    expect(actions[0]).toMatchObject({ action_type: 'APPROVE', status_code: 'APPROVED', approved: true, executor_id: 'approver', tenant_id: 'acme', case_id: 'DEMO00001', message: '조치 승인됨' });

    const lines = readFileSync(feedbackPath, 'utf8').trim().split('\n').map((l) => JSON.parse(l)).filter((l) => l.request_id === hitl.requestId);
    expect(lines).toEqual([expect.objectContaining({ event: 'hitl_feedback', case_id: 'DEMO00001', executor_id: 'approver', action_type: 'APPROVE', approved: true, doc_key: '1000-5100000123-2026' })]);

    // A later explicit record of the same decision publishes nothing again.
    const res = await fetch(`${aura.url}/aura/action/record`, {
      method: 'POST',
      headers: { ...serviceHeaders(), 'content-type': 'application/json' },
      body: JSON.stringify({ case_id: 'DEMO00001', request_id: hitl.requestId, executor_id: 'approver', approved: true }),
    });
    const body = (await res.json()) as any;
    expect(V.RecordActionResponse(body)).toBe(true);
    expect(body.data).toEqual({ ok: true, logged: false });
    await caseActions.flush();
    expect(actionsFor(hitl.requestId)).toHaveLength(1);
  });

  it('reject: tool_execution cancelled → content → end{rejected}; CASE_ACTION REJECT', async () => {
    const s = postStream(aura, { prompt: 'Check case DEMO00002 for a duplicate payment', context: { caseId: 'DEMO00002' } });
    await s.until((x) => !!x.event('hitl'), 'hitl');
    const hitl = s.event('hitl')!.data;
    await decide(redis, hitl.sessionId, hitl.requestId, false, 'Invoice is genuine');
    await s.toEnd();
    expectOrder(s.frames.map((f) => f.event), ['tool_execution', 'content', 'end']);
    expect(s.frames.at(-3)!.data).toMatchObject({ status: 'cancelled', error: 'Invoice is genuine' });
    expect(s.frames.at(-1)!.data).toMatchObject({ status: 'rejected' });
    expectConsecutiveIds(s);
    await caseActions.flush();
    expect(actionsFor(hitl.requestId)).toEqual([expect.objectContaining({ action_type: 'REJECT', status_code: 'REJECTED', approved: false, case_id: 'DEMO00002' })]);
  });

  it('ignores a signal for another request of the same session', async () => {
    const s = postStream(aura, { prompt: 'Review DEMO00003', context: { caseId: 'DEMO00003' } });
    await s.until((x) => !!x.event('hitl'), 'hitl');
    const hitl = s.event('hitl')!.data;
    expect(await decide(redis, hitl.sessionId, 'req-someone-else', true)).toBe(1);
    const n = s.frames.length;
    // The stored signal is re-read on every check; a later right signal still resumes the run.
    await decide(redis, hitl.sessionId, hitl.requestId, false, 'no');
    await s.toEnd();
    expect(s.frames[n].data).toMatchObject({ type: 'tool_execution', status: 'cancelled' });
  });

  it('GET /aura/hitl/requests and /signals: the caller tenant only', async () => {
    const s = postStream(aura, { prompt: 'Review DEMO00004', context: { caseId: 'DEMO00004' } });
    await s.until((x) => !!x.event('hitl'), 'hitl');
    const { requestId, sessionId } = s.event('hitl')!.data;
    // Aura's own reads are internal: the backend's service credential, not a user's token.
    const get = (path: string, headers = serviceHeaders()) => fetch(`${aura.url}${path}`, { headers }).then(async (r) => ({ status: r.status, body: (await r.json()) as any }));
    expect((await get(`/aura/hitl/requests/${requestId}`, authHeaders('requester', 'acme'))).body.errorCode).toBe('E1003');
    const r1 = await get(`/aura/hitl/requests/${requestId}`);
    expect(r1.status).toBe(200);
    expect(V.HitlRequestResponse(r1.body)).toBe(true);
    expect(r1.body.data.sessionId).toBe(sessionId);
    expect((await get(`/aura/hitl/requests/${requestId}`, serviceHeaders('globex'))).body.errorCode).toBe('E1004');
    expect((await get(`/aura/hitl/signals/${sessionId}`)).status).toBe(404);
    await decide(redis, sessionId, requestId, true);
    await s.toEnd();
    const r2 = await get(`/aura/hitl/signals/${sessionId}`);
    expect(r2.status).toBe(200);
    expect(V.HitlSignalResponse(r2.body)).toBe(true);
    expect(r2.body.data).toMatchObject({ type: 'approval', requestId });
    expect((await get(`/aura/hitl/signals/${sessionId}`, serviceHeaders('globex'))).status).toBe(404);
  });

  it('POST /aura/action/record: a forged record is refused and publishes nothing', async () => {
    const stamp = Date.now();
    const record = (body: Record<string, unknown>, headers = serviceHeaders()) =>
      http('POST', `${aura.url}/aura/action/record`, { headers: { ...headers, 'content-type': 'application/json' }, body });
    const base = { case_id: 'DEMO00005', executor_id: 'approver', approved: true };
    // A request that does not exist (the finding: it answered logged:true and told every workbench).
    const missing = `req-forged-missing-${stamp}`;
    expectError(await record({ ...base, request_id: missing }), 404, 'E1004');
    // Still pending, decided the other way, by someone else, for another case, another tenant's.
    const pending = `req-forged-pending-${stamp}`;
    await putDecidedRequest(redis, pending, { status: 'pending' });
    expectError(await record({ ...base, request_id: pending }), 409, 'E3006');
    const rejected = `req-forged-rejected-${stamp}`;
    await putDecidedRequest(redis, rejected, { status: 'rejected' });
    expectError(await record({ ...base, request_id: rejected }), 409, 'E3006');
    const byOther = `req-forged-other-${stamp}`;
    await putDecidedRequest(redis, byOther, { status: 'approved', by: 'someone-else' });
    expectError(await record({ ...base, request_id: byOther }), 403, 'E1003');
    const otherCase = `req-forged-case-${stamp}`;
    await putDecidedRequest(redis, otherCase, { status: 'approved', caseId: 'DEMO00099' });
    expectError(await record({ ...base, request_id: otherCase }), 409, 'E3006');
    const otherTenant = `req-forged-tenant-${stamp}`;
    await putDecidedRequest(redis, otherTenant, { status: 'approved', tenantId: 'globex' });
    expectError(await record({ ...base, request_id: otherTenant }), 404, 'E1004');
    // A genuine decision, but a user's token instead of the backend's service credential.
    const genuine = `req-forged-user-${stamp}`;
    await putDecidedRequest(redis, genuine, { status: 'approved' });
    expectError(await record({ ...base, request_id: genuine }, authHeaders('approver', 'acme')), 403, 'E1003');
    await caseActions.flush();
    for (const id of [missing, pending, rejected, byOther, otherCase, otherTenant, genuine]) expect({ id, actions: actionsFor(id) }).toEqual({ id, actions: [] });
    const outbox = await readOutbox(redis, '0-0', 100_000);
    expect(outbox.filter((e) => e.message.includes(`req-forged-`) && e.message.includes(String(stamp)))).toEqual([]);
  });

  it('POST /aura/action/record: feedback + one CASE_ACTION, a second record logs nothing', async () => {
    const requestId = `req-record-${Date.now()}`;
    await putDecidedRequest(redis, requestId, { status: 'rejected' });
    const post = () =>
      fetch(`${aura.url}/aura/action/record`, {
        method: 'POST',
        headers: { ...serviceHeaders(), 'content-type': 'application/json' },
        body: JSON.stringify({ case_id: 'DEMO00005', request_id: requestId, executor_id: 'approver', approved: false, comment: 'Not ours', doc_key: '1000-1-2026' }),
      }).then((r) => r.json() as Promise<any>);
    const [a, b] = await Promise.all([post(), post()]);
    expect([a.data.logged, b.data.logged].sort()).toEqual([false, true]);
    await caseActions.flush();
    expect(actionsFor(requestId)).toEqual([expect.objectContaining({ action_type: 'REJECT', executor_id: 'approver', doc_key: '1000-1-2026', tenant_id: 'acme' })]);
    const lines = readFileSync(feedbackPath, 'utf8').trim().split('\n').map((l) => JSON.parse(l)).filter((l) => l.request_id === requestId);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatchObject({ comment: 'Not ours', approved: false, action_type: 'REJECT' });
    // The one CASE_ACTION is in the workbench outbox too (same script as the publish), once.
    const recent = await readOutbox(redis, '0-0', 100_000);
    const mine = recent.filter((e) => e.message.includes(requestId));
    expect(mine).toHaveLength(1);
    expect(mine[0]!.channel).toBe(caseActionAddress());
    expect(parseWorkbenchNotification(mine[0]!.message)).toMatchObject({ category: 'CASE_ACTION', request_id: requestId, action_type: 'REJECT' });
  });

  it('GET /aura/test/stream?message= runs the same agent', async () => {
    const s = openSse(`${aura.url}/aura/test/stream?message=${encodeURIComponent('Review DEMO00006')}`, { headers: authHeaders('requester', 'acme') }, 'StartAgentStreamGet');
    await s.until((x) => !!x.event('hitl'), 'hitl');
    const hitl = s.event('hitl')!.data;
    expect(hitl.context.caseId).toBe('DEMO00006');
    await decide(redis, hitl.sessionId, hitl.requestId, true);
    await s.toEnd();
    expect(s.frames.at(-1)!.data.status).toBe('approved');
  });

  it('the trace id header is echoed on the stream', async () => {
    const s = postStream(aura, { prompt: 'Review DEMO00007' }, { [HEADERS.TRACE_ID.toLowerCase()]: 'trace-abc' });
    await s.until((x) => !!x.event('hitl'), 'hitl');
    expect(s.headers!.get(HEADERS.TRACE_ID)).toBe('trace-abc');
    const hitl = s.event('hitl')!.data;
    await decide(redis, hitl.sessionId, hitl.requestId, true);
    await s.toEnd();
  });
});
