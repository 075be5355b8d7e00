// Timeout end to end (HITL_TIMEOUT_SECONDS=1): nobody decides, the open stream ends failed with
// a TimeoutError, Aura publishes CASE_ACTION TIMEOUT/HOLD, the backend stores it, pushes it to
// the tenant's stream, and the case shows the hold.
import { DEMO_CREDENTIALS } from '../../src/shared/db/seed';
import { runHitlLoop } from './hitl-loop';
import { startTestPlatform } from './platform';
import { observeCaseActions } from './redis-observer';

const approver = DEMO_CREDENTIALS.find((c) => c.role === 'APPROVER')!;
// Four-eyes: the requester asks Aura, the approver decides.
const requester = DEMO_CREDENTIALS.find((c) => c.role === 'REQUESTER')!;
let env: Awaited<ReturnType<typeof startTestPlatform>>;
let observer: Awaited<ReturnType<typeof observeCaseActions>>;

beforeAll(async () => {
  env = await startTestPlatform({ HITL_TIMEOUT_SECONDS: '1' });
  observer = await observeCaseActions();
}, 60_000);

afterAll(async () => {
  await observer?.close();
  await env?.stop();
});

test('timeout: failed → error{TimeoutError} → end{failed} → [DONE]; CASE_ACTION TIMEOUT stored, pushed; the case is on hold', async () => {
  const caseId = 'CASE-2026-0003';
  const r = await runHitlLoop({ gatewayUrl: env.platform.urls.gateway, credentials: approver, requester, caseId, decision: 'timeout' });
  const names = r.streamEvents.map((e) => e.event);
  const after = r.streamEvents.slice(names.indexOf('hitl') + 1);
  expect(after.map((e) => e.event)).toEqual(['failed', 'error', 'end']);
  expect(after[1]).toMatchObject({ data: { errorType: 'TimeoutError' } });
  expect(after[2]).toMatchObject({ data: { status: 'failed' } });

  const published = await observer.forRequest(r.hitl.requestId);
  expect(published).toHaveLength(1);
  expect(published[0]).toMatchObject({ case_id: caseId, action_type: 'TIMEOUT', approved: false, status_code: 'HOLD', message: '조치 보류됨' });
  expect(observer.errors).toEqual([]);

  expect(r.pushed.notification).toMatchObject({ type: 'CASE_ACTION', caseId, content: '조치 보류됨' });
  expect(r.listed).toHaveLength(1);
  expect(r.caseDetail.case.status).toBe('HOLD');
  expect(r.caseDetail.document?.statusCode).toBe('HOLD');
  expect(r.caseDetail.actions).toEqual([expect.objectContaining({ requestId: r.hitl.requestId, actionType: 'TIMEOUT', statusCode: 'HOLD' })]);
});
