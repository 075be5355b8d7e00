import Redis from 'ioredis';
import { alertAddress, auraAnalysisRunsLiveKey, auraAnalysisStreamKey, parseAlertMessage } from '../../generated/redis';
import { http } from '../support/http';
import { testRedisUrl } from '../support/redis';
import { eventually } from '../support/eventually';
import { type Frame, openSse } from '../support/sse';
import { type Aura, serviceHeaders, collect, startAura, ours } from './support';

const uniq = (p: string) => `${p}-${Date.now()}-${Math.random().toString(36).slice(2, 7)}`;

const evidence = () => ({
  document: {
    docKey: '1000-5100000123-2026',
    header: { vendorId: 'V100' },
    items: [
      { buzei: 1, amount: 5000, postingDate: '2026-03-04', vendorId: 'V100' },
      { buzei: 2, amount: 250_000_000, postingDate: '2026-03-07', vendorId: 'V999' },
    ],
  },
  openItems: [{ belnr: '5100000999', buzei: '001', vendorId: 'V100', amount: 5000 }],
  partyIds: ['V100'],
});

/**
 * A Redis client whose appends to one analysis stream hang for good after `passes` of them:
 * the instance stops mid-run exactly there, as if it had frozen or died between two events.
 */
function freezingAfter(streamKey: string, passes: number) {
  return (url: string) => {
    const r = new Redis(url);
    let seen = 0;
    // Appends are one fenced script: EVAL script 2 <stream> <lease> …
    const evalCmd = r.eval.bind(r) as (...a: unknown[]) => Promise<unknown>;
    (r as any).eval = async (...a: unknown[]) => {
      if (a[2] === streamKey && String(a[0]).includes('XADD') && ++seen > passes) await new Promise(() => undefined);
      return evalCmd(...a);
    };
    return r;
  };
}

describe('analysis runs survive the instance driving them', () => {
  let redis: Redis;
  const tenant = uniq('tenant');
  const headers = { ...serviceHeaders(tenant), 'content-type': 'application/json' };
  const running: Aura[] = [];
  let alerts: Awaited<ReturnType<typeof collect>>;
  beforeAll(async () => {
    redis = new Redis(testRedisUrl());
    alerts = await collect(alertAddress());
  });
  afterAll(async () => {
    for (const a of running.splice(0)) await a.close().catch(() => undefined);
    alerts.close();
    redis.disconnect();
  });

  const stream = async (aura: Aura, runId: string): Promise<Frame[]> => {
    const s = openSse(`${aura.url}/aura/analysis-runs/${runId}/stream`, { headers }, 'StreamAnalysisRun');
    await s.toEnd();
    return s.frames;
  };

  it('A stops after two events; B re-drives the run from its stored request: every event once, in order, one AI_DETECT', async () => {
    const runId = uniq('run');
    const A = await startAura({ AURA_RUN_LEASE_MS: '600' }, freezingAfter(auraAnalysisStreamKey({ runId }), 2));
    running.push(A);
    const B = await startAura({ AURA_RUN_LEASE_MS: '600' });
    running.push(B);

    const res = await http('POST', `${A.url}/aura/cases/CASE-T/analysis-runs`, { headers, body: { runId, evidence: evidence() } });
    expect(res.status).toBe(202);
    await eventually(async () => (await redis.xlen(auraAnalysisStreamKey({ runId }))) === 2, 'A logged two events and froze');
    const mid = await http('GET', `${B.url}/aura/analysis-runs/${runId}`, { headers });
    expect(mid.body.data.status).toBe('RUNNING');

    running.splice(running.indexOf(A), 1);
    await A.close(); // hands the run over; A's frozen append never completes
    const frames = await stream(B, runId);
    expect(frames.map((f) => f.id)).toEqual(frames.map((_, i) => `${runId}:${i + 1}`));
    const names = frames.map((f) => f.event);
    expect(names.filter((n) => n === 'started')).toHaveLength(1);
    expect(names.at(-1)).toBe('completed');

    // The same request run from scratch gives the same sequence of events.
    const reference = uniq('run');
    await http('POST', `${B.url}/aura/cases/CASE-T/analysis-runs`, { headers, body: { runId: reference, evidence: evidence() } });
    expect(names).toEqual((await stream(B, reference)).map((f) => f.event));

    const status = await http('GET', `${B.url}/aura/analysis-runs/${runId}`, { headers });
    expect(status.body.data).toMatchObject({ status: 'COMPLETED', result: { severity: 'HIGH' } });
    expect(await redis.zscore(auraAnalysisRunsLiveKey({}), runId)).toBeNull();
    await alerts.flush();
    const mine = ours(alerts.messages, (o) => o.tenant_id === tenant && o.case_id === 'CASE-T', parseAlertMessage);
    expect(mine).toHaveLength(2); // one for the re-driven run, one for the reference run
  });
});
