import Redis from 'ioredis';
import { testRedisUrl } from '../support/redis';
import { authHeaders } from '../support/auth';
import { type Frame, openSse } from '../support/sse';
import { type Aura, decide, joinStream, startAura, streamIdOf } from './support';

const RUNS = 150;
const JOINERS = 50; // second clients on some of those streams, resuming mid-way

/** Connections this Aura instance opened, by the names it gives them. */
async function auraConnections(redis: Redis, instanceId: string): Promise<string[]> {
  const list = (await redis.client('LIST')) as string;
  return list
    .split('\n')
    .map((l) => / name=(\S*)/.exec(l)?.[1] ?? '')
    .filter((n) => n.startsWith(instanceId));
}

function expectEveryEventOnceInOrder(frames: Frame[], streamId: string, fromSeq: number): void {
  expect(frames.map((f) => f.id)).toEqual(frames.map((_, i) => `${streamId}:${fromSeq + i}`));
  expect(frames.at(-1)!.event).toBe('end');
}

describe('one instance, hundreds of live SSE clients', () => {
  let aura: Aura;
  let redis: Redis;
  beforeAll(async () => {
    redis = new Redis(testRedisUrl());
    aura = await startAura({ HITL_TIMEOUT_SECONDS: '120', SSE_HEARTBEAT_MS: '5000' });
  });
  afterAll(async () => {
    await aura.close();
    redis.disconnect();
  });

  it(`${RUNS + JOINERS} concurrent clients share a few Redis connections and each gets every event once, in order`, async () => {
    const headers = { ...authHeaders('requester', 'acme'), 'content-type': 'application/json' };
    const total = async () => ((await redis.client('LIST')) as string).trim().split('\n').length;
    const before = await total();
    const starters = Array.from({ length: RUNS }, (_, i) => {
      const caseId = `MANY${String(i).padStart(5, '0')}`;
      return openSse(`${aura.url}/aura/test/stream`, { method: 'POST', headers, body: JSON.stringify({ prompt: `Review ${caseId}`, context: { caseId } }) }, 'StartAgentStream');
    });
    await Promise.all(starters.map((s) => s.until((x) => !!x.event('hitl'), 'hitl', 30_000)));
    const joiners = starters.slice(0, JOINERS).map((s, i) => {
      const from = s.frames[i % (s.frames.length - 1)]; // anywhere before `hitl`
      return { from, sse: joinStream(aura, streamIdOf(from), from.id) };
    });
    await Promise.all(joiners.map((j) => j.sse.until((x) => x.frames.some((f) => f.event === 'hitl'), 'joiner replayed up to hitl', 30_000)));

    // Every client is live (all waiting on their HITL decision): Aura holds its command
    // connection, the HITL subscriber and the shared tail — not one connection per client.
    const names = await auraConnections(redis, aura.config.instanceId);
    expect(names.length).toBeLessThanOrEqual(4);
    expect(names).toEqual(expect.arrayContaining([`${aura.config.instanceId}:tail`, `${aura.config.instanceId}:hitl-sub`]));
    // Unnamed connections count too: the whole server gained far fewer than one per client
    // (the margin is for other suites running against the same Redis meanwhile).
    expect((await total()) - before).toBeLessThan(40);

    await Promise.all(starters.map((s) => decide(redis, s.event('hitl')!.data.sessionId, s.event('hitl')!.data.requestId, true)));
    await Promise.all([...starters.map((s) => s.toEnd()), ...joiners.map((j) => j.sse.toEnd())]);

    for (const s of starters) {
      expectEveryEventOnceInOrder(s.frames, streamIdOf(s.frames[0]), 1);
      expect(s.frames.at(-1)!.data.status).toBe('approved');
    }
    joiners.forEach(({ from, sse }, i) => {
      const seq = Number(from.id!.slice(from.id!.lastIndexOf(':') + 1));
      expectEveryEventOnceInOrder(sse.frames, streamIdOf(from), seq + 1);
      expect(sse.frames).toEqual(starters[i].frames.slice(seq));
    });
    expect((await auraConnections(redis, aura.config.instanceId)).length).toBeLessThanOrEqual(4);
  }, 60_000);

  it('the shared tail connection is killed during the HITL wait: live clients still get the rest, nothing lost or repeated', async () => {
    const headers = { ...authHeaders('requester', 'acme'), 'content-type': 'application/json' };
    const clients = Array.from({ length: 5 }, (_, i) => openSse(`${aura.url}/aura/test/stream`, { method: 'POST', headers, body: JSON.stringify({ prompt: `Review KILL0000${i}` }) }, 'StartAgentStream'));
    await Promise.all(clients.map((c) => c.until((x) => !!x.event('hitl'), 'hitl')));
    const list = (await redis.client('LIST')) as string;
    const line = list.split('\n').find((l) => l.includes(` name=${aura.config.instanceId}:tail `));
    expect(line).toBeDefined();
    expect(await redis.client('KILL', 'ID', /\bid=(\d+)/.exec(line!)![1])).toBe(1);
    await Promise.all(clients.map((c) => decide(redis, c.event('hitl')!.data.sessionId, c.event('hitl')!.data.requestId, true)));
    await Promise.all(clients.map((c) => c.toEnd()));
    for (const c of clients) {
      expectEveryEventOnceInOrder(c.frames, streamIdOf(c.frames[0]), 1);
      expect(c.frames.at(-1)!.data.status).toBe('approved');
    }
  });
});
