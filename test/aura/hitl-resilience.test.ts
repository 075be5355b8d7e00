import Redis from 'ioredis';
import {
  HITL_SIGNAL_TTL_SECONDS,
  caseActionAddress,
  encodeHitlRequestRecord,
  encodeHitlSignalRecord,
  hitlChannelAddress,
  hitlRequestKey,
  hitlSessionKey,
  hitlSignalKey,
  parseCaseActionMessage,
  readHitlRequestRecord,
  parseHitlSessionRecord,
} from '../../generated/redis';
import { unixSeconds } from '../../src/shared/time';
import { testRedisUrl } from '../support/redis';
import { authHeaders } from '../support/auth';
import { type Frame, openSse } from '../support/sse';
import { type Aura, collect, decide, joinStream, postStream, seqOf, startAura, streamIdOf, ours } from './support';

const CHANNEL_PREFIX = hitlChannelAddress({ sessionId: 'x' }).slice(0, -1);

/** A Redis client whose HITL subscriber connection waits for `gate` before each SUBSCRIBE. */
function gatedRedis(gate: { before?: (channel: string) => Promise<void> }) {
  return (url: string) => {
    const r = new Redis(url);
    const dup = r.duplicate.bind(r);
    (r as any).duplicate = (override?: any) => {
      const d = dup(override);
      if (String(override?.connectionName ?? '').endsWith(':hitl-sub')) {
        const subscribe = d.subscribe.bind(d) as (...a: string[]) => Promise<unknown>;
        (d as any).subscribe = async (...channels: string[]) => {
          const g = gate.before;
          gate.before = undefined;
          if (g) await g(channels[0]);
          return subscribe(...channels);
        };
      }
      return d;
    };
    return r;
  };
}

function expectSeamless(frames: Frame[]): void {
  const streamId = streamIdOf(frames[0]);
  expect(frames.map((f) => f.id)).toEqual(frames.map((_, i) => `${streamId}:${i + 1}`));
  expect(frames.at(-1)!.event).toBe('end');
}

describe('HITL wait: races, drops, resumes, instances', () => {
  let redis: Redis;
  let caseActions: Awaited<ReturnType<typeof collect>>;
  const running: Aura[] = [];
  const start = async (env: Record<string, string> = {}, factory?: (url: string) => Redis) => {
    const a = await startAura({ SSE_HEARTBEAT_MS: '200', AURA_RUN_LEASE_MS: '600', ...env }, factory);
    running.push(a);
    return a;
  };

  beforeAll(async () => {
    redis = new Redis(testRedisUrl());
    caseActions = await collect(caseActionAddress());
  });
  afterAll(async () => {
    for (const a of running) await a.close().catch(() => undefined);
    caseActions.close();
    redis.disconnect();
  });
  const actionsFor = (requestId: string) => ours(caseActions.messages, (o) => o.request_id === requestId, parseCaseActionMessage);

  it('timeout: failed → error{TimeoutError} → end{failed} → [DONE], heartbeats while waiting, CASE_ACTION TIMEOUT/HOLD', async () => {
    const aura = await start({ HITL_TIMEOUT_SECONDS: '1' });
    const s = postStream(aura, { prompt: 'Review DEMO00010', context: { caseId: 'DEMO00010' } });
    await s.toEnd();
    const events = s.frames.map((f) => f.event);
    expect(events.slice(events.indexOf('hitl') + 1)).toEqual(['failed', 'error', 'end']);
    expect(s.event('failed')!.data.errorType).toBe('TimeoutError');
    expect(s.event('error')!.data.errorType).toBe('TimeoutError');
    expect(s.frames.at(-1)!.data.status).toBe('failed');
    expect(s.comments.filter((c) => c.trim() === 'ping').length).toBeGreaterThanOrEqual(2);
    await caseActions.flush();
    const requestId = s.event('hitl')!.data.requestId;
    expect(actionsFor(requestId)).toEqual([expect.objectContaining({ action_type: 'TIMEOUT', status_code: 'HOLD', approved: false, executor_id: 'system', message: '조치 보류됨' })]);
  });

  it('timeout expires the request atomically, so a late decision cannot approve a case on hold', async () => {
    const aura = await start({ HITL_TIMEOUT_SECONDS: '1' });
    const s = postStream(aura, { prompt: 'Review DEMO00011', context: { caseId: 'DEMO00011' } });
    await s.toEnd();
    const { requestId } = s.event('hitl')!.data;
    const rec = (await readHitlRequestRecord(redis, { requestId }))!;
    expect(rec.status).toBe('expired');
    expect(rec.expiredAt).toBeGreaterThanOrEqual(rec.createdAt);
    expect(rec.expiredAt).toBeLessThan(10_000_000_000);
  });

  it('a decision recorded just before the deadline whose signal never arrived still wins over the timeout', async () => {
    const aura = await start({ HITL_TIMEOUT_SECONDS: '1' });
    const s = postStream(aura, { prompt: 'Review DEMO00012', context: { caseId: 'DEMO00012' } });
    await s.until((x) => !!x.event('hitl'), 'the hitl event');
    const { requestId, sessionId } = s.event('hitl')!.data;
    // The backend's script decided (record + stored signal) but the publish was lost: Aura,
    // subscribed already, only learns of it when the deadline makes it look at the record.
    const key = hitlRequestKey({ requestId });
    const rec = (await readHitlRequestRecord(redis, { requestId }))!;
    await redis.set(key, encodeHitlRequestRecord({ ...rec, status: 'approved', approvedBy: 'approver', approvedAt: unixSeconds() }), 'KEEPTTL');
    await redis.set(
      hitlSignalKey({ sessionId }),
      encodeHitlSignalRecord({ type: 'approval', requestId, status: 'approved', timestamp: unixSeconds() }),
      'EX',
      HITL_SIGNAL_TTL_SECONDS,
    );
    await s.toEnd();
    const events = s.frames.map((f) => f.event);
    expect(events.slice(events.indexOf('hitl') + 1)).toEqual(['tool_execution', 'content', 'end']);
    expect(s.frames.filter((f) => f.event === 'tool_execution').at(-1)!.data.status).toBe('success');
    await caseActions.flush();
    expect(actionsFor(requestId)).toEqual([expect.objectContaining({ action_type: 'APPROVE', executor_id: 'approver' })]);
    expect((await readHitlRequestRecord(redis, { requestId }))!.status).toBe('approved');
  });

  it('a decision stored and published before Aura subscribed still resumes the run at once', async () => {
    const gate: { before?: (channel: string) => Promise<void> } = {};
    let receiversWhileUnsubscribed = -1;
    gate.before = async (channel) => {
      const sessionId = channel.slice(CHANNEL_PREFIX.length);
      const session = parseHitlSessionRecord((await redis.get(hitlSessionKey({ sessionId })))!);
      receiversWhileUnsubscribed = await decide(redis, sessionId, session.requestId, true);
    };
    // The timeout is long: only the stored signal can end this run within the test's deadline.
    const aura = await start({ HITL_TIMEOUT_SECONDS: '120' }, gatedRedis(gate));
    const s = postStream(aura, { prompt: 'Review DEMO00011', context: { caseId: 'DEMO00011' } });
    await s.toEnd();
    expect(receiversWhileUnsubscribed).toBe(0);
    expect(s.frames.at(-1)!.data.status).toBe('approved');
  });

  it('a dropped subscriber connection during the wait: the decision is learned from the stored signal after reconnecting', async () => {
    const aura = await start({ HITL_TIMEOUT_SECONDS: '120' });
    const s = postStream(aura, { prompt: 'Review DEMO00012', context: { caseId: 'DEMO00012' } });
    await s.until((x) => !!x.event('hitl'), 'hitl');
    const hitl = s.event('hitl')!.data;
    const list = (await redis.client('LIST')) as string;
    const line = list.split('\n').find((l) => l.includes(` name=${aura.config.instanceId}:hitl-sub `));
    expect(line).toBeDefined();
    const id = /\bid=(\d+)/.exec(line!)![1];
    expect(await redis.client('KILL', 'ID', id)).toBe(1);
    // Published while nobody is subscribed: only the stored copy can reach the run.
    expect(await decide(redis, hitl.sessionId, hitl.requestId, true)).toBe(0);
    await s.toEnd();
    expect(s.frames.at(-1)!.data.status).toBe('approved');
  });

  it('resume by Last-Event-ID after cuts at several points, including during the HITL wait: nothing lost, nothing twice', async () => {
    const aura = await start({ HITL_TIMEOUT_SECONDS: '120' });
    const headers = { ...authHeaders('requester', 'acme'), 'content-type': 'application/json' };
    const body = JSON.stringify({ prompt: 'Review DEMO00013', context: { caseId: 'DEMO00013' } });
    const got: Frame[] = [];

    // 1. cut right after the first event
    const a = postStream(aura, JSON.parse(body));
    await a.until((x) => x.frames.length >= 1, 'first event');
    a.cut();
    got.push(...a.frames.slice(0, 1));
    const streamId = streamIdOf(got[0]);

    // 2. resume on the same endpoint (POST + Last-Event-ID), cut mid-plan
    const b = openSse(`${aura.url}/aura/test/stream`, { method: 'POST', headers: { ...headers, 'last-event-id': got.at(-1)!.id! }, body }, 'StartAgentStream');
    await b.until((x) => x.frames.length >= 4, 'four more events');
    b.cut();
    got.push(...b.frames.slice(0, 4));

    // 3. resume via GET /aura/streams/{id}, cut during the HITL wait
    const c = joinStream(aura, streamId, got.at(-1)!.id);
    await c.until((x) => !!x.event('hitl'), 'hitl');
    c.cut();
    got.push(...c.frames.slice(0, c.frames.findIndex((f) => f.event === 'hitl') + 1));
    const hitl = got.at(-1)!.data;

    // 4. the decision arrives while no client is connected; the run goes on regardless
    await decide(redis, hitl.sessionId, hitl.requestId, true);
    const d = joinStream(aura, streamId, got.at(-1)!.id);
    await d.toEnd();
    got.push(...d.frames);
    expectSeamless(got);
    expect(got.at(-1)!.data.status).toBe('approved');

    // A join from the start replays exactly the same events.
    const full = joinStream(aura, streamId);
    await full.toEnd();
    expect(full.frames).toEqual(got);

    // Resuming after the last event gives just [DONE].
    const tail = joinStream(aura, streamId, got.at(-1)!.id);
    await tail.toEnd();
    expect(tail.frames).toEqual([]);
  });

  it('an unknown or expired Last-Event-ID is answered in-band with an error event', async () => {
    const aura = await start();
    for (const id of ['stream-never-was:3', 'x:0']) {
      const s = openSse(`${aura.url}/aura/test/stream`, { method: 'POST', headers: { ...authHeaders('requester', 'acme'), 'content-type': 'application/json', 'last-event-id': id }, body: JSON.stringify({ prompt: 'x' }) }, 'StartAgentStream');
      await s.toEnd();
      expect(s.status).toBe(200);
      expect(s.frames.map((f) => f.event)).toEqual(['error']);
      expect(s.frames[0].data.errorType).toBe('StreamExpired');
    }
    // A finished stream resumed at a position it never reached, and another tenant's stream.
    const run = postStream(aura, { prompt: 'Review DEMO00014' });
    await run.until((x) => !!x.event('hitl'), 'hitl');
    const hitl = run.event('hitl')!.data;
    await decide(redis, hitl.sessionId, hitl.requestId, true);
    await run.toEnd();
    const streamId = streamIdOf(run.frames[0]);
    const beyond = joinStream(aura, streamId, `${streamId}:999`);
    await beyond.toEnd();
    expect(beyond.frames.map((f) => [f.event, f.data.errorType])).toEqual([['error', 'UnknownEventId']]);
    const mismatch = joinStream(aura, streamId, `stream-other:1`);
    await mismatch.toEnd();
    expect(mismatch.frames.map((f) => f.event)).toEqual(['error']);
    const otherTenant = joinStream(aura, streamId, `${streamId}:1`, authHeaders('requester', 'globex'));
    await otherTenant.toEnd();
    expect(otherTenant.frames.map((f) => f.event)).toEqual(['error']);
    const notFound = joinStream(aura, 'stream-never-was');
    await notFound.finished;
    expect([notFound.status, notFound.errorBody.errorCode]).toEqual([404, 'E1004']);
    const otherJoin = joinStream(aura, streamId, undefined, authHeaders('requester', 'globex'));
    await otherJoin.finished;
    expect(otherJoin.status).toBe(404);
  });

  it('two instances on one Redis: start on A, resume on B; with A gone, B continues the run after the decision', async () => {
    const A = await start({ HITL_TIMEOUT_SECONDS: '120' });
    const B = await start({ HITL_TIMEOUT_SECONDS: '120' });

    // A drives, B serves the resume.
    const s1 = postStream(A, { prompt: 'Review DEMO00015', context: { caseId: 'DEMO00015' } });
    await s1.until((x) => !!x.event('hitl'), 'hitl');
    s1.cut();
    const first = s1.frames.slice();
    const h1 = first.at(-1)!.data;
    const r1 = joinStream(B, streamIdOf(first[0]), first.at(-1)!.id);
    await r1.until((x) => x.comments.length >= 1, 'B is tailing');
    await decide(redis, h1.sessionId, h1.requestId, true);
    await r1.toEnd();
    expectSeamless([...first, ...r1.frames]);

    // A stops during the wait; B's reader finds the run without an owner and adopts it.
    const s2 = postStream(A, { prompt: 'Review DEMO00016', context: { caseId: 'DEMO00016' } });
    await s2.until((x) => !!x.event('hitl'), 'hitl');
    s2.cut();
    const second = s2.frames.slice();
    const h2 = second.at(-1)!.data;
    await A.close();
    running.splice(running.indexOf(A), 1);
    await decide(redis, h2.sessionId, h2.requestId, false, 'A is gone');
    const r2 = joinStream(B, streamIdOf(second[0]), second.at(-1)!.id);
    await r2.toEnd();
    expectSeamless([...second, ...r2.frames]);
    expect(r2.frames.at(-1)!.data.status).toBe('rejected');
    await caseActions.flush();
    expect(actionsFor(h2.requestId)).toHaveLength(1);
  });
});
