import Redis from 'ioredis';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { auraFeedbackPendingKey, encodeAuraFeedbackPendingRecord } from '../../generated/redis';
import { feedbackLine } from '../../src/aura/actions/feedback-log';
import { testRedisUrl } from '../support/redis';
import { eventually } from '../support/eventually';
import { type Aura, putDecidedRequest, serviceHeaders, startAura } from './support';

const uniq = (p: string) => `${p}-${Date.now()}-${Math.random().toString(36).slice(2, 7)}`;
const linesFor = (path: string, requestId: string) =>
  readFileSync(path, 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l))
    .filter((l) => l.request_id === requestId);

describe('HITL feedback lines survive a failure between the CASE_ACTION publish and the write', () => {
  let redis: Redis;
  const running: Aura[] = [];
  const dir = mkdtempSync(join(tmpdir(), 'aura-feedback-'));
  beforeAll(() => {
    redis = new Redis(testRedisUrl());
  });
  afterAll(async () => {
    for (const a of running.splice(0)) await a.close().catch(() => undefined);
    redis.disconnect();
  });

  it('A records the decision but cannot write the line; the line stays pending and B writes it, once', async () => {
    const logId = uniq('log');
    const pending = auraFeedbackPendingKey({ logId });
    // A's log path is unwritable (its directory does not exist): the write fails after the publish.
    const A = await startAura({ AURA_FEEDBACK_LOG_ID: logId, HITL_FEEDBACK_LOG_PATH: join(dir, 'missing', 'a.jsonl'), AURA_RUN_LEASE_MS: '600' });
    running.push(A);
    const requestId = uniq('req');
    await putDecidedRequest(redis, requestId, { status: 'approved', caseId: 'DEMO00040' });
    const res = await fetch(`${A.url}/aura/action/record`, {
      method: 'POST',
      headers: { ...serviceHeaders(), 'content-type': 'application/json' },
      body: JSON.stringify({ case_id: 'DEMO00040', request_id: requestId, executor_id: 'approver', approved: true, comment: 'ok' }),
    });
    expect(((await res.json()) as any).data).toEqual({ ok: true, logged: true });
    const members = await redis.zrange(pending, 0, -1);
    expect(members.map((m) => JSON.parse(m).request_id)).toEqual([requestId]);
    running.splice(running.indexOf(A), 1);
    await A.close();

    const path = join(dir, 'b.jsonl');
    const B = await startAura({ AURA_FEEDBACK_LOG_ID: logId, HITL_FEEDBACK_LOG_PATH: path, AURA_RUN_LEASE_MS: '600' });
    running.push(B);
    await eventually(async () => (await redis.zcard(pending)) === 0, 'the pending line is written and confirmed');
    expect(linesFor(path, requestId)).toEqual([
      expect.objectContaining({ event: 'hitl_feedback', case_id: 'DEMO00040', executor_id: 'approver', action_type: 'APPROVE', approved: true, comment: 'ok' }),
    ]);
  });

  it('a line written but never confirmed (crash in between) is not written a second time by recovery', async () => {
    const logId = uniq('log');
    const pending = auraFeedbackPendingKey({ logId });
    const path = join(dir, 'c.jsonl');
    const requestId = uniq('req');
    const line = feedbackLine({ caseId: 'DEMO00041', requestId, executorId: 'approver', actionType: 'REJECT', approved: false });
    writeFileSync(path, `${JSON.stringify(line)}\n`);
    await redis.zadd(pending, 0, encodeAuraFeedbackPendingRecord(line));
    const B = await startAura({ AURA_FEEDBACK_LOG_ID: logId, HITL_FEEDBACK_LOG_PATH: path, AURA_RUN_LEASE_MS: '600' });
    running.push(B);
    await eventually(async () => (await redis.zcard(pending)) === 0, 'the pending line is confirmed');
    expect(linesFor(path, requestId)).toEqual([line]);
  });
});
