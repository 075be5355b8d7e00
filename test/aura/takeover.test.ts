import Redis from 'ioredis';
import {
  auraAgentRunKey,
  auraAgentRunsLiveKey,
  auraAgentStreamKey,
  auraRunLeaseKey,
  caseActionAddress,
  encodeAuraAgentRunRecord,
  parseAuraAgentRunRecord,
  parseCaseActionMessage,
} from '../../generated/redis';
import { testRedisUrl } from '../support/redis';
import { spawnAura } from './child-aura';
import { authHeaders } from '../support/auth';
import { eventually } from '../support/eventually';
import { type Frame, openSse } from '../support/sse';
import { type Aura, collect, decide, joinStream, postStream, startAura, streamIdOf, ours } from './support';

/** The finished log of a stream, read the way any client reads it (from the start). */
async function fullLog(aura: Aura, streamId: string): Promise<Frame[]> {
  const s = joinStream(aura, streamId);
  await s.toEnd();
  return s.frames;
}

function expectSeamless(frames: Frame[]): void {
  const streamId = streamIdOf(frames[0]);
  expect(frames.map((f) => f.id)).toEqual(frames.map((_, i) => `${streamId}:${i + 1}`));
}

describe('background takeover: runs go on when their instance is gone and no client comes back', () => {
  let redis: Redis;
  let caseActions: Awaited<ReturnType<typeof collect>>;
  const running: Aura[] = [];
  const start = async (env: Record<string, string> = {}) => {
    const a = await startAura({ SSE_HEARTBEAT_MS: '500', AURA_RUN_LEASE_MS: '600', ...env });
    running.push(a);
    return a;
  };
  const stop = async (a: Aura) => {
    running.splice(running.indexOf(a), 1);
    await a.close();
  };
  const actionsFor = (requestId: string) => ours(caseActions.messages, (o) => o.request_id === requestId, parseCaseActionMessage);
  const logDone = async (streamId: string) => {
    const last = (await redis.xrevrange(auraAgentStreamKey({ streamId }), '+', '-', 'COUNT', 1)) as [string, string[]][];
    return last.length === 1 && last[0][1][1] === '__done';
  };
  /** Runs on A up to `hitl`, then the client leaves for good. */
  const toHitlAndLeave = async (url: string, caseId: string) => {
    const s = openSse(`${url}/aura/test/stream`, { method: 'POST', headers: { ...authHeaders('requester', 'acme'), 'content-type': 'application/json' }, body: JSON.stringify({ prompt: `Review ${caseId}`, context: { caseId } }) }, 'StartAgentStream');
    await s.until((x) => !!x.event('hitl'), 'hitl');
    s.cut();
    return { frames: s.frames.slice(), hitl: s.event('hitl')!.data, streamId: streamIdOf(s.frames[0]) };
  };

  beforeAll(async () => {
    redis = new Redis(testRedisUrl());
    caseActions = await collect(caseActionAddress());
  });
  afterAll(async () => {
    for (const a of running.splice(0)) await a.close().catch(() => undefined);
    caseActions.close();
    redis.disconnect();
  });

  it('approval: A is closed during the wait, the decision is published, B finishes the run on its own', async () => {
    const A = await start({ HITL_TIMEOUT_SECONDS: '120' });
    const B = await start({ HITL_TIMEOUT_SECONDS: '120' });
    const { frames, hitl, streamId } = await toHitlAndLeave(A.url, 'DEMO00030');
    expect(await redis.zscore(auraAgentRunsLiveKey({}), streamId)).not.toBeNull();

    await stop(A);
    // A handed the run over: it holds no lease any more, and nothing of A renews it.
    expect(await redis.get(auraRunLeaseKey({ streamId }))).not.toBe(A.config.instanceId);
    // Another instance claims it by itself (B here; any other live instance on this Redis may do too).
    let owner: string | null = null;
    await eventually(async () => {
      owner = await redis.get(auraRunLeaseKey({ streamId }));
      return owner !== null;
    }, 'the run is adopted');
    expect(owner).not.toBe(A.config.instanceId);

    // The adopter may claim the lease a moment before it subscribes: it then reads the stored
    // signal, so the number of receivers of this publish is not part of the claim.
    await decide(redis, hitl.sessionId, hitl.requestId, true);
    await eventually(() => logDone(streamId), 'the log ends with [DONE]', { timeoutMs: 10_000 });

    const log = await fullLog(B, streamId);
    expect(log.slice(0, frames.length)).toEqual(frames);
    expect(log.slice(frames.length).map((f) => f.event)).toEqual(['tool_execution', 'content', 'end']);
    expect(log.at(-1)!.data.status).toBe('approved');
    expectSeamless(log);
    expect(parseAuraAgentRunRecord((await redis.get(auraAgentRunKey({ streamId })))!).phase).toBe('finished');
    await eventually(async () => (await redis.zscore(auraAgentRunsLiveKey({}), streamId)) === null, 'the run leaves the live index');
    await caseActions.flush();
    expect(actionsFor(hitl.requestId)).toEqual([expect.objectContaining({ action_type: 'APPROVE', status_code: 'APPROVED' })]);
  });

  it('timeout: the driving process is SIGKILLed (no handover); another instance times the run out at the original deadline, one TIMEOUT/HOLD', async () => {
    // Lease 2.5 s, timeout 4 s: the lease lapses well inside the wait, so a deadline restarted on
    // takeover would end the run seconds after `expiresAt`.
    const env = { HITL_TIMEOUT_SECONDS: '4', AURA_RUN_LEASE_MS: '2500' };
    const A = await spawnAura(env);
    const B = await start(env);
    const { frames, hitl, streamId } = await toHitlAndLeave(A.url, 'DEMO00031');
    await A.kill();
    expect(await redis.get(auraRunLeaseKey({ streamId }))).toBe(A.instanceId); // still A's until it lapses

    await eventually(() => logDone(streamId), 'the run times out and the log ends with [DONE]', { timeoutMs: 10_000 });
    const log = await fullLog(B, streamId);
    expect(log.slice(0, frames.length)).toEqual(frames);
    expect(log.slice(frames.length).map((f) => [f.event, f.data.errorType ?? f.data.status])).toEqual([
      ['failed', 'TimeoutError'],
      ['error', 'TimeoutError'],
      ['end', 'failed'],
    ]);
    expectSeamless(log);
    expect(log.at(-1)!.data.timestamp).toBeLessThanOrEqual(hitl.expiresAt);
    await caseActions.flush();
    expect(actionsFor(hitl.requestId)).toEqual([expect.objectContaining({ action_type: 'TIMEOUT', status_code: 'HOLD', executor_id: 'system' })]);
  });

  it('fencing: a frozen instance whose run was taken over and finished appends nothing when it wakes', async () => {
    const A = await spawnAura({ AURA_RUN_LEASE_MS: '600', SSE_HEARTBEAT_MS: '500' });
    try {
      const B = await start();
      const { frames, hitl, streamId } = await toHitlAndLeave(A.url, 'DEMO00033');
      A.pause();
      // A's lease lapses while it is frozen; B's sweeper adopts the run and waits for the decision.
      await eventually(async () => {
        const owner = await redis.get(auraRunLeaseKey({ streamId }));
        return owner !== null && owner !== A.instanceId;
      }, 'B adopts the run', { timeoutMs: 10_000 });
      await decide(redis, hitl.sessionId, hitl.requestId, true);
      await eventually(() => logDone(streamId), 'B finishes the run', { timeoutMs: 10_000 });
      // A wakes with the decision in its socket and its lease timers overdue: whichever it
      // handles first, it must stop without writing to the finished log.
      A.resume();
      await A.logged(/stopped driving it|lost the lease/);
      const log = await fullLog(B, streamId);
      expect(log.slice(0, frames.length)).toEqual(frames);
      expect(log.slice(frames.length).map((f) => f.event)).toEqual(['tool_execution', 'content', 'end']);
      expectSeamless(log);
      expect(await logDone(streamId)).toBe(true);
      await caseActions.flush();
      expect(actionsFor(hitl.requestId)).toHaveLength(1);
    } finally {
      await A.kill();
    }
  });

  it('a run whose owner died before its HITL wait: the adopter drives it again from the stored request, every event once', async () => {
    const B = await start({ HITL_TIMEOUT_SECONDS: '120' });
    const A = await start({ HITL_TIMEOUT_SECONDS: '120' });
    const { frames, hitl, streamId } = await toHitlAndLeave(A.url, 'DEMO00034');
    // Turn what A left into what it leaves when it dies after its fifth event: the log cut
    // there, the run record still `running` (no wait recorded). Done before A goes, so no
    // instance adopts the run in between.
    const keep = 5;
    // (Rewritten, not XDELed: the stream's id counter must stand at 5 as A's would have.)
    const key = auraAgentStreamKey({ streamId });
    const entries = (await redis.xrange(key, '-', '+')) as [string, string[]][];
    const ttl = await redis.ttl(key);
    const m = redis.multi().del(key);
    for (const [id, fields] of entries.slice(0, keep)) m.xadd(key, id, ...fields);
    await m.expire(key, ttl).exec();
    const record = parseAuraAgentRunRecord((await redis.get(auraAgentRunKey({ streamId })))!);
    expect(record.phase).toBe('hitl_wait');
    const { hitl: _wait, ...running } = record;
    await redis.set(auraAgentRunKey({ streamId }), encodeAuraAgentRunRecord({ ...running, phase: 'running' }), 'KEEPTTL');
    await stop(A);

    const s = joinStream(B, streamId, frames[keep - 1].id);
    await s.until((x) => !!x.event('hitl'), 'hitl from the re-driven run');
    // The same request as A's: its id comes from the stream, so nothing is left pending twice.
    expect(s.event('hitl')!.data).toMatchObject({ requestId: hitl.requestId, sessionId: hitl.sessionId });
    await decide(redis, hitl.sessionId, hitl.requestId, true);
    await s.toEnd();
    expect(s.frames.map((f) => f.event)).toEqual([...frames.slice(keep).map((f) => f.event), 'tool_execution', 'content', 'end']);
    const log = await fullLog(B, streamId);
    expect(log.slice(0, keep)).toEqual(frames.slice(0, keep));
    expectSeamless(log);
    expect(log.filter((f) => f.event === 'start')).toHaveLength(1);
    await caseActions.flush();
    expect(actionsFor(hitl.requestId)).toEqual([expect.objectContaining({ action_type: 'APPROVE' })]);
  });

  it('a run whose owner died after recording the wait but before emitting `hitl`: the adopter emits it once and the run resumes', async () => {
    // What A leaves behind when it dies between two steps of the HITL set-up is built here with
    // the same records A writes; B must neither lose the `hitl` event nor write anything twice.
    const B = await start({ HITL_TIMEOUT_SECONDS: '120' });
    const A = await start({ HITL_TIMEOUT_SECONDS: '120' });
    const { frames, hitl, streamId } = await toHitlAndLeave(A.url, 'DEMO00032');
    // Drop the `hitl` entry (as if A never got to write it), then stop A. In this order: a
    // stopping A hands its run over at once, and B must not adopt it while the entry is still there.
    const last = (await redis.xrevrange(auraAgentStreamKey({ streamId }), '+', '-', 'COUNT', 1)) as [string, string[]][];
    expect(last[0][1][1]).toBe('hitl');
    await redis.xdel(auraAgentStreamKey({ streamId }), last[0][0]);
    await stop(A);

    const s = joinStream(B, streamId, frames.at(-2)!.id);
    await s.until((x) => !!x.event('hitl'), 'hitl re-emitted by the adopter');
    await decide(redis, hitl.sessionId, hitl.requestId, false, 'not needed');
    await s.toEnd();
    expect(s.frames.map((f) => f.event)).toEqual(['hitl', 'tool_execution', 'content', 'end']);
    expect(s.frames[0].data).toMatchObject({ requestId: hitl.requestId, sessionId: hitl.sessionId, expiresAt: hitl.expiresAt, message: hitl.message });
    expect(s.frames.at(-1)!.data.status).toBe('rejected');
    await caseActions.flush();
    expect(actionsFor(hitl.requestId)).toHaveLength(1);
  });
});
