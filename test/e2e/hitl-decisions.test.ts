// Full loop through the gateway (real Redis, real PostgreSQL): login → agent stream → hitl →
// approve / reject → the same stream resumes to [DONE] → Aura's CASE_ACTION → stored and pushed
// on the tenant's notification stream → the case shows the action and the document status.
import { DwpApiError, DwpClient } from '../../generated/sdk';
import { sdkValidation } from '../../generated/sdk/validation';
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
  env = await startTestPlatform();
  observer = await observeCaseActions();
}, 60_000);

afterAll(async () => {
  await observer?.close();
  await env?.stop();
});

afterEach(() => expect(observer.errors).toEqual([]));

const eventNames = (r: Awaited<ReturnType<typeof runHitlLoop>>) => r.streamEvents.map((e) => e.event);

test('approve: the open stream resumes, CASE_ACTION APPROVE is stored, pushed, and the case is APPROVED', async () => {
  const caseId = 'CASE-2026-0001';
  const r = await runHitlLoop({ gatewayUrl: env.platform.urls.gateway, credentials: approver, requester, caseId, decision: 'approve' });
  const names = eventNames(r);
  expect(names[0]).toBe('start');
  expect(r.caseBefore.document?.statusCode).not.toBe('APPROVED');
  expect(r.caseBefore.actions).toEqual([]);
  const afterHitl = names.slice(names.indexOf('hitl') + 1);
  expect(afterHitl).toEqual(['tool_execution', 'content', 'end']);
  const resumed = r.streamEvents.slice(names.indexOf('hitl') + 1);
  expect(resumed[0]).toMatchObject({ event: 'tool_execution', data: { status: 'success' } });
  expect(resumed[2]).toMatchObject({ event: 'end', data: { status: 'approved' } });
  expect(r.hitl.context).toMatchObject({ caseId });
  expect(r.decisionResponse?.data).toMatchObject({ requestId: r.hitl.requestId, sessionId: r.hitl.sessionId, status: 'approved' });

  const published = await observer.forRequest(r.hitl.requestId);
  expect(published).toHaveLength(1);
  expect(published[0]).toMatchObject({ category: 'CASE_ACTION', case_id: caseId, action_type: 'APPROVE', approved: true, status_code: 'APPROVED', executor_id: r.userId, tenant_id: approver.tenantId });

  expect(r.pushed.notification).toMatchObject({ type: 'CASE_ACTION', caseId, tenantId: approver.tenantId });
  expect(r.pushed.refetch).toEqual({ resource: 'case', caseId });
  expect(r.listed).toHaveLength(1); // the backend's copy and Aura's are one notification
  expect(r.caseDetail.case.status).toBe('APPROVED');
  expect(r.caseDetail.document?.statusCode).toBe('APPROVED');
  expect(r.caseDetail.actions).toEqual([
    expect.objectContaining({ requestId: r.hitl.requestId, actionType: 'APPROVE', statusCode: 'APPROVED', executorId: r.userId }),
  ]);
});

test('reject: the open stream resumes with the tool cancelled, CASE_ACTION REJECT is stored, pushed, and the case is REJECTED', async () => {
  const caseId = 'CASE-2026-0002';
  const r = await runHitlLoop({ gatewayUrl: env.platform.urls.gateway, credentials: approver, requester, caseId, decision: 'reject' });
  const names = eventNames(r);
  const resumed = r.streamEvents.slice(names.indexOf('hitl') + 1);
  expect(resumed.map((e) => e.event)).toEqual(['tool_execution', 'content', 'end']);
  expect(resumed[0]).toMatchObject({ data: { status: 'cancelled' } });
  expect(resumed[2]).toMatchObject({ data: { status: 'rejected' } });
  expect(r.decisionResponse?.data).toMatchObject({ requestId: r.hitl.requestId, status: 'rejected', reason: 'Not enough evidence' });

  const published = await observer.forRequest(r.hitl.requestId);
  expect(published).toHaveLength(1);
  expect(published[0]).toMatchObject({ action_type: 'REJECT', approved: false, status_code: 'REJECTED', executor_id: r.userId });

  expect(r.pushed.notification).toMatchObject({ type: 'CASE_ACTION', caseId });
  expect(r.listed).toHaveLength(1);
  expect(r.caseDetail.case.status).toBe('REJECTED');
  expect(r.caseDetail.document?.statusCode).toBe('REJECTED');
  expect(r.caseDetail.actions).toEqual([
    expect.objectContaining({ requestId: r.hitl.requestId, actionType: 'REJECT', statusCode: 'REJECTED', reason: 'Not enough evidence' }),
  ]);
});

// The two findings of the review, tried again as a user would, through the gateway with the
// seeded users: a requester approving the run they started, and a forged action record.
test('through the gateway: nobody decides their own run, a requester decides nothing, and action/record is not reachable', async () => {
  const gw = env.platform.urls.gateway;
  const anon = new DwpClient({ baseUrl: gw, validation: sdkValidation });
  const as = async (c: (typeof DEMO_CREDENTIALS)[number]) => {
    const d = (await anon.login({ body: { username: c.username, password: c.password, tenantId: c.tenantId } })).data;
    return anon.withToken(d.accessToken, d.tenantId);
  };
  const admin = DEMO_CREDENTIALS.find((c) => c.role === 'ADMIN')!;
  const [asRequester, asApprover] = [await as(requester), await as(approver)];
  const hitlOf = async (client: DwpClient, caseId: string) => {
    const ac = new AbortController();
    try {
      for await (const ev of client.startAgentStream({ body: { prompt: `Review case ${caseId}`, context: { caseId } } }, { signal: ac.signal })) {
        if (ev.event === 'hitl') return ev.data;
      }
      throw new Error('no hitl event');
    } finally {
      ac.abort();
    }
  };
  const refused = async (p: Promise<unknown>) => {
    const err = await p.then(() => undefined, (e: unknown) => e);
    expect(err).toBeInstanceOf(DwpApiError);
    return err as DwpApiError;
  };

  // The requester's own run: refused by role (and four-eyes), whichever decision.
  const mine = await hitlOf(asRequester, 'CASE-2026-0003');
  const byRole = await refused(asRequester.approveHitl({ params: { requestId: mine.requestId }, body: {} }));
  expect({ status: byRole.status, code: byRole.errorCode, rule: (byRole.data as { rule?: string }).rule }).toEqual({ status: 403, code: 'E1003', rule: 'ROLE' });
  // An approver's own run: four-eyes, whatever the role; another approver (the admin) may.
  const own = await hitlOf(asApprover, 'CASE-2026-0004');
  const byFourEyes = await refused(asApprover.rejectHitl({ params: { requestId: own.requestId }, body: { reason: 'mine' } }));
  expect({ status: byFourEyes.status, code: byFourEyes.errorCode, rule: (byFourEyes.data as { rule?: string }).rule }).toEqual({ status: 403, code: 'E1003', rule: 'FOUR_EYES' });
  expect((await (await as(admin)).approveHitl({ params: { requestId: own.requestId }, body: {} })).data.status).toBe('approved');

  // The forged record: the frontend SDK does not even offer it, and the gateway does not route it.
  const token = (await anon.login({ body: { username: requester.username, password: requester.password, tenantId: requester.tenantId } })).data.accessToken;
  const res = await fetch(`${gw}/api/aura/action/record`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'x-tenant-id': requester.tenantId, 'content-type': 'application/json' },
    body: JSON.stringify({ case_id: 'CASE-2026-0003', request_id: 'req-does-not-exist', executor_id: 'acme-approver', approved: true }),
  });
  expect(res.status).toBe(404);
  expect(((await res.json()) as { errorCode: string }).errorCode).toBe('E1004');
  expect(await observer.forRequest('req-does-not-exist')).toEqual([]);
  // Clean up the requester's pending run: the approver decides it (not the requester).
  await asApprover.rejectHitl({ params: { requestId: mine.requestId }, body: { reason: 'test done' } });
});
