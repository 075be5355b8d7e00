// Handler-level tests of the HITL operations over in-memory ports (the Redis adapters have their
// own integration suites in test/aura): what each handler reads, and what it never reveals.
import type * as S from '../../../generated/schemas';
import type { RequestContext } from '../../shared/http/service-app';
import type { RecordInput } from '../actions/decision-records';
import type { HitlWaits } from '../ports';
import { makeGetAuraHitlRequest } from './GetAuraHitlRequest';
import { makeGetAuraHitlSignal } from './GetAuraHitlSignal';
import { makeRecordAction } from './RecordAction';

/** HitlWaits in memory: only the reads the handlers use. */
class MemoryHitlWaits implements Pick<HitlWaits, 'request' | 'session' | 'signal'> {
  readonly requests = new Map<string, S.HitlRequestRecord>();
  readonly sessions = new Map<string, S.HitlSessionRecord>();
  readonly signals = new Map<string, S.HitlSignal>();
  async request(id: string) {
    return this.requests.get(id) ?? null;
  }
  async session(id: string) {
    return this.sessions.get(id) ?? null;
  }
  async signal(id: string) {
    return this.signals.get(id) ?? null;
  }
}

const ctx = (tenantId = 't1'): RequestContext => ({ auth: { userId: 'u-approver', tenantId, token: 'x' }, traceId: 'trace-1' }) as unknown as RequestContext;

const request = (over: Partial<S.HitlRequestRecord> = {}): S.HitlRequestRecord => ({
  requestId: 'req-1',
  sessionId: 'sess-1',
  userId: 'u-asker',
  tenantId: 't1',
  actionType: 'PAYMENT_BLOCK',
  context: { caseId: 'CASE-1' },
  status: 'approved',
  approvedBy: 'u-approver',
  approvedAt: 1770000000,
  createdAt: 1770000000,
  ...over,
});

let hitl: MemoryHitlWaits;
beforeEach(() => {
  hitl = new MemoryHitlWaits();
});

describe('GetAuraHitlRequest', () => {
  test('returns the tenant’s own record; another tenant’s is not found', async () => {
    hitl.requests.set('req-1', request());
    const get = makeGetAuraHitlRequest({ hitl });
    const res = await get({ params: { requestId: 'req-1' } } as never, ctx());
    expect(res.body.data).toEqual(request());
    await expect(get({ params: { requestId: 'req-1' } } as never, ctx('t2'))).rejects.toMatchObject({ code: 'E1004' });
    await expect(get({ params: { requestId: 'req-2' } } as never, ctx())).rejects.toMatchObject({ code: 'E1004' });
  });
});

describe('GetAuraHitlSignal', () => {
  test('the session names the tenant; without a session of the caller’s tenant the signal is not read', async () => {
    const signal: S.HitlSignal = { type: 'approval', requestId: 'req-1', status: 'approved', timestamp: 1770000000 };
    hitl.signals.set('sess-1', signal);
    const read = jest.spyOn(hitl, 'signal');
    const get = makeGetAuraHitlSignal({ hitl });
    await expect(get({ params: { sessionId: 'sess-1' } } as never, ctx())).rejects.toMatchObject({ code: 'E1004' });
    expect(read).not.toHaveBeenCalled();
    hitl.sessions.set('sess-1', { sessionId: 'sess-1', requestId: 'req-1', userId: 'u-asker', tenantId: 't1' });
    await expect(get({ params: { sessionId: 'sess-1' } } as never, ctx('t2'))).rejects.toMatchObject({ code: 'E1004' });
    expect((await get({ params: { sessionId: 'sess-1' } } as never, ctx())).body.data).toEqual(signal);
  });
});

describe('RecordAction', () => {
  const body = { case_id: 'CASE-1', request_id: 'req-1', executor_id: 'u-approver', approved: true, comment: 'ok' };

  test('records what the stored request says, once; a repeat is answered as already recorded', async () => {
    hitl.requests.set('req-1', request());
    const recorded: RecordInput[] = [];
    const decisions = { record: async (input: RecordInput) => (recorded.push(input), recorded.length === 1) };
    const record = makeRecordAction({ hitl, decisions });
    const first = await record({ body } as never, ctx());
    expect(first.body).toMatchObject({ data: { ok: true, logged: true }, message: 'Action recorded' });
    expect(recorded[0]).toEqual({ tenantId: 't1', caseId: 'CASE-1', requestId: 'req-1', executorId: 'u-approver', actionType: 'APPROVE', comment: 'ok' });
    expect((await record({ body } as never, ctx())).body).toMatchObject({ data: { logged: false }, message: 'Action already recorded' });
  });

  test('a record the stored request contradicts reaches no decision record', async () => {
    const decisions = { record: jest.fn(async () => true) };
    const record = makeRecordAction({ hitl, decisions });
    await expect(record({ body } as never, ctx())).rejects.toMatchObject({ code: 'E1004' });
    hitl.requests.set('req-1', request({ status: 'pending', approvedBy: undefined, approvedAt: undefined }));
    await expect(record({ body } as never, ctx())).rejects.toMatchObject({ code: 'E3006' });
    hitl.requests.set('req-1', request());
    await expect(record({ body: { ...body, approved: false } } as never, ctx())).rejects.toMatchObject({ code: 'E3006' });
    await expect(record({ body: { ...body, executor_id: 'u-other' } } as never, ctx())).rejects.toMatchObject({ code: 'E1003' });
    await expect(record({ body } as never, ctx('t2'))).rejects.toMatchObject({ code: 'E1004' });
    expect(decisions.record).not.toHaveBeenCalled();
  });
});
