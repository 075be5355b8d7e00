import Redis from 'ioredis';
import { Client } from 'pg';
import { HEADERS } from '../../generated/contract';
import { encodeHitlRequestRecord, hitlRequestKey, hitlSignalKey, parseHitlChannelMessage, parseHitlRequestRecord, parseHitlSignalRecord } from '../../generated/redis';
import * as V from '../../generated/validators/schemas';
import { openDatabase } from '../../src/shared/db/database';
import { createRedisHitlStore } from '../../src/main/hitl/store';
import { testDatabaseBaseUrl } from '../support/pg';
import { channelSpy, mainFixture, putHitlRequest, type MainFixture } from './hitl-fixture';
import { authHeaders, noneToken, token } from '../support/auth';
import { expectError, http } from '../support/http';

let fx: MainFixture;
let base: string;
beforeAll(async () => {
  fx = await mainFixture();
  base = await fx.start();
});
afterAll(async () => fx?.close());

const approve = (b: string, requestId: string, user = 'acme-approver', body?: unknown) =>
  http('POST', `${b}/aura/hitl/approve/${requestId}`, { headers: authHeaders(user, 'acme'), body });
const reject = (b: string, requestId: string, user = 'acme-approver', body?: unknown) =>
  http('POST', `${b}/aura/hitl/reject/${requestId}`, { headers: authHeaders(user, 'acme'), body });

async function historyRows(requestId: string) {
  return fx.database.db.selectFrom('case_action_history').selectAll().where('request_id', '=', requestId).execute();
}

describe('approve / reject', () => {
  it('approves atomically: record, signal (5 min), one publish, history row, document and case status', async () => {
    await fx.database.db.updateTable('fi_doc_header').set({ last_change_ts: new Date('2026-01-01T00:00:00Z') }).where('doc_key', '=', '1000-5100000187-2026').execute();
    const rec = await putHitlRequest(fx.redis);
    const spy = await channelSpy(rec.sessionId);
    try {
      const r = await approve(base, rec.requestId);
      expect(r.status).toBe(200);
      expect(V.HitlDecisionResponse(r.body)).toBe(true);
      expect(r.body.data).toEqual({ requestId: rec.requestId, sessionId: rec.sessionId, status: 'approved' });

      const stored = parseHitlRequestRecord((await fx.redis.get(hitlRequestKey({ requestId: rec.requestId })))!);
      expect(stored).toMatchObject({ status: 'approved', approvedBy: 'acme-approver', context: rec.context, createdAt: rec.createdAt });
      expect(stored.approvedAt).toBeGreaterThanOrEqual(rec.createdAt);
      expect(stored.approvedAt).toBeLessThan(9_999_999_999);
      expect(await fx.redis.ttl(hitlRequestKey({ requestId: rec.requestId }))).toBeGreaterThan(1700); // TTL kept
      const signal = parseHitlSignalRecord((await fx.redis.get(hitlSignalKey({ sessionId: rec.sessionId })))!);
      expect(signal).toEqual({ type: 'approval', requestId: rec.requestId, status: 'approved', timestamp: stored.approvedAt });
      const ttl = await fx.redis.ttl(hitlSignalKey({ sessionId: rec.sessionId }));
      expect(ttl).toBeGreaterThan(290);
      expect(ttl).toBeLessThanOrEqual(300);

      await spy.settle();
      expect(spy.messages.map((m) => parseHitlChannelMessage(m))).toEqual([signal]);

      const rows = await historyRows(rec.requestId);
      expect(rows).toHaveLength(1);
      expect(rows[0]).toMatchObject({ tenant_id: 'acme', case_id: 'CASE-2026-0001', session_id: rec.sessionId, action_type: 'APPROVE', status_code: 'APPROVED', executor_id: 'acme-approver', doc_key: '1000-5100000187-2026' });
      const doc = await fx.database.db.selectFrom('fi_doc_header').selectAll().where('doc_key', '=', '1000-5100000187-2026').executeTakeFirstOrThrow();
      expect(doc.status_code).toBe('APPROVED');
      expect(doc.last_change_ts.getTime()).toBe(stored.approvedAt! * 1000);

      const detail = await http('GET', `${base}/main/cases/CASE-2026-0001`, { headers: authHeaders('acme-approver', 'acme') });
      expect(V.CaseDetailResponse(detail.body)).toBe(true);
      expect(detail.body.data.case.status).toBe('APPROVED');
      expect(detail.body.data.document).toMatchObject({ docKey: '1000-5100000187-2026', statusCode: 'APPROVED' });
      expect(detail.body.data.actions).toEqual([expect.objectContaining({ requestId: rec.requestId, actionType: 'APPROVE', executorId: 'acme-approver' })]);
    } finally {
      spy.close();
    }
  });

  it('rejects with a reason; reads return the objects themselves, tenant-checked', async () => {
    const rec = await putHitlRequest(fx.redis, { context: { caseId: 'CASE-2026-0003', docKey: '1000-5100000342-2026' } });
    expectError(await http('GET', `${base}/aura/hitl/signals/${rec.sessionId}`, { headers: authHeaders('acme-approver', 'acme') }), 404, 'E1004');
    const r = await reject(base, rec.requestId, 'acme-approver', { reason: 'Weekend posting is documented' });
    expect(r.status).toBe(200);
    expect(r.body.data).toEqual({ requestId: rec.requestId, sessionId: rec.sessionId, status: 'rejected', reason: 'Weekend posting is documented' });

    const req = await http('GET', `${base}/aura/hitl/requests/${rec.requestId}`, { headers: authHeaders('acme-approver', 'acme') });
    expect(V.HitlRequestResponse(req.body)).toBe(true);
    expect(typeof req.body.data).toBe('object');
    expect(req.body.data).toMatchObject({ status: 'rejected', rejectedBy: 'acme-approver', reason: 'Weekend posting is documented' });
    const sig = await http('GET', `${base}/aura/hitl/signals/${rec.sessionId}`, { headers: authHeaders('acme-approver', 'acme') });
    expect(V.HitlSignalResponse(sig.body)).toBe(true);
    expect(sig.body.data).toMatchObject({ type: 'rejection', requestId: rec.requestId, reason: 'Weekend posting is documented' });

    // another tenant never learns the request exists
    for (const path of [`/aura/hitl/requests/${rec.requestId}`, `/aura/hitl/signals/${rec.sessionId}`]) {
      expectError(await http('GET', base + path, { headers: authHeaders('g-user', 'globex') }), 404, 'E1004');
    }
    const doc = await fx.database.db.selectFrom('fi_doc_header').select('status_code').where('doc_key', '=', '1000-5100000342-2026').executeTakeFirstOrThrow();
    expect(doc.status_code).toBe('REJECTED');
  });

  it('50 concurrent approve/reject by different users: one 200, one signal, one stored decision, 49 × 409 E3006', async () => {
    const rec = await putHitlRequest(fx.redis, { context: { caseId: 'CASE-2026-0004' } });
    const spy = await channelSpy(rec.sessionId);
    try {
      const results = await Promise.all(
        Array.from({ length: 50 }, (_, i) => (i % 2 ? approve : reject)(base, rec.requestId, `user-${i}`, i % 2 ? undefined : { reason: `r${i}` })),
      );
      const oks = results.filter((r) => r.status === 200);
      expect(oks).toHaveLength(1);
      const conflicts = results.filter((r) => r.status === 409);
      expect(conflicts).toHaveLength(49);
      const stored = parseHitlRequestRecord((await fx.redis.get(hitlRequestKey({ requestId: rec.requestId })))!);
      expect(stored.status).toBe(oks[0]!.body.data.status);
      for (const c of conflicts) {
        expectError(c, 409, 'E3006');
        expect(c.body.data).toMatchObject({ requestId: rec.requestId, status: stored.status });
      }
      await spy.settle();
      expect(spy.messages).toHaveLength(1);
      expect(parseHitlChannelMessage(spy.messages[0]!).status).toBe(stored.status);
      expect(await historyRows(rec.requestId)).toHaveLength(1);
    } finally {
      spy.close();
    }
  });

  it('50 concurrent identical approvals by one user: still exactly one 200, one signal, one row', async () => {
    const rec = await putHitlRequest(fx.redis, { context: { caseId: 'CASE-2026-0002' } });
    const spy = await channelSpy(rec.sessionId);
    try {
      const results = await Promise.all(Array.from({ length: 50 }, () => approve(base, rec.requestId)));
      expect(results.filter((r) => r.status === 200)).toHaveLength(1);
      const conflicts = results.filter((r) => r.status !== 200);
      expect(conflicts).toHaveLength(49);
      for (const c of conflicts) expectError(c, 409, 'E3006');
      await spy.settle();
      expect(spy.messages).toHaveLength(1);
      expect(await historyRows(rec.requestId)).toHaveLength(1);
    } finally {
      spy.close();
    }
  });

  it('a decision after Aura expired the wait (timeout) is 409 E3006: nothing published, nothing recorded', async () => {
    const rec = await putHitlRequest(fx.redis, { context: { caseId: 'CASE-2026-0003' } });
    const key = hitlRequestKey({ requestId: rec.requestId });
    await fx.redis.set(key, encodeHitlRequestRecord({ ...rec, status: 'expired', expiredAt: rec.createdAt + 300 }), 'KEEPTTL');
    const spy = await channelSpy(rec.sessionId);
    try {
      const r = await approve(base, rec.requestId);
      expectError(r, 409, 'E3006');
      expect(r.body.data).toMatchObject({ requestId: rec.requestId, status: 'expired' });
      await spy.settle();
      expect(spy.messages).toHaveLength(0);
      expect(await historyRows(rec.requestId)).toHaveLength(0);
    } finally {
      spy.close();
    }
  });

  it('a repeat of a recorded decision is 409 with the stored decision (nothing published or written again), as is a different one', async () => {
    const rec = await putHitlRequest(fx.redis, { context: { caseId: 'CASE-2026-0005' } });
    const spy = await channelSpy(rec.sessionId);
    try {
      expect((await approve(base, rec.requestId)).status).toBe(200);
      const again = await approve(base, rec.requestId);
      expectError(again, 409, 'E3006');
      expect(again.body.data).toMatchObject({ status: 'approved', approvedBy: 'acme-approver' });
      const other = await reject(base, rec.requestId);
      expectError(other, 409, 'E3006');
      expect(other.body.data).toMatchObject({ status: 'approved', approvedBy: 'acme-approver' });
      expectError(await approve(base, rec.requestId, 'someone-else'), 409, 'E3006');
      await spy.settle();
      expect(spy.messages).toHaveLength(1);
      expect(await historyRows(rec.requestId)).toHaveLength(1);
    } finally {
      spy.close();
    }
  });
});

async function afterTermination<T>(query: () => Promise<T>): Promise<T> {
  for (let i = 0; ; i++) {
    try {
      return await query();
    } catch (err) {
      if (i >= 3 || !/terminating connection|Connection terminated/i.test((err as Error).message)) throw err;
    }
  }
}

describe('who may decide', () => {
  const decide = (requestId: string, user: string, opts: { role?: string | null; kind?: 'approve' | 'reject' } = {}) =>
    http('POST', `${base}/aura/hitl/${opts.kind ?? 'approve'}/${requestId}`, {
      headers: { [HEADERS.AUTHORIZATION]: `Bearer ${token(user, 'acme', { role: opts.role })}`, [HEADERS.TENANT_ID]: 'acme' },
      body: opts.kind === 'reject' ? { reason: 'no' } : {},
    });

  async function untouched(requestId: string) {
    expect(parseHitlRequestRecord((await fx.redis.get(hitlRequestKey({ requestId })))!).status).toBe('pending');
    expect(await historyRows(requestId)).toHaveLength(0);
  }

  it('a REQUESTER, or a token without a role, may not approve or reject: 403 E1003 naming the roles, nothing decided', async () => {
    const rec = await putHitlRequest(fx.redis);
    for (const kind of ['approve', 'reject'] as const) {
      const r = await decide(rec.requestId, 'acme-other-requester', { role: 'REQUESTER', kind });
      expectError(r, 403, 'E1003');
      expect(r.body.message).toMatch(/APPROVER, ADMIN/);
      expect(r.body.data).toEqual({ rule: 'ROLE', roles: ['APPROVER', 'ADMIN'] });
      expectError(await decide(rec.requestId, 'acme-approver', { role: null, kind }), 403, 'E1003');
    }
    await untouched(rec.requestId);
    // An ADMIN may.
    expect((await decide(rec.requestId, 'acme-admin', { role: 'ADMIN' })).status).toBe(200);
  });

  it('four-eyes: the user who started the run may not decide its request, whatever the role', async () => {
    const rec = await putHitlRequest(fx.redis);
    for (const role of ['APPROVER', 'ADMIN']) {
      for (const kind of ['approve', 'reject'] as const) {
        const r = await decide(rec.requestId, rec.userId, { role, kind });
        expectError(r, 403, 'E1003');
        expect(r.body.message).toMatch(/Four-eyes/);
        expect(r.body.data).toMatchObject({ rule: 'FOUR_EYES', requestedBy: rec.userId });
      }
    }
    await untouched(rec.requestId);
    expect((await decide(rec.requestId, 'acme-approver')).status).toBe(200);
  });

  it('a tenant that switched four-eyes off lets its one user decide their own run; other tenants keep it', async () => {
    await fx.database.db.insertInto('tenants').values({ tenant_id: 'solo', name: 'Solo GmbH', four_eyes: false }).onConflict((c) => c.column('tenant_id').doNothing()).execute();
    const own = await putHitlRequest(fx.redis, { tenantId: 'solo' });
    const r = await http('POST', `${base}/aura/hitl/approve/${own.requestId}`, {
      headers: { [HEADERS.AUTHORIZATION]: `Bearer ${token(own.userId, 'solo')}`, [HEADERS.TENANT_ID]: 'solo' },
      body: {},
    });
    expect(r.status).toBe(200);
    const acme = await putHitlRequest(fx.redis);
    expectError(await decide(acme.requestId, acme.userId), 403, 'E1003');
  });

  it('the tenant setting cannot be read → 503 before anything is decided; the retry decides', async () => {
    let down = true;
    const b2 = await fx.start({ ports: { policy: { fourEyes: async () => (down ? Promise.reject(new Error('connection terminated')) : true) } } });
    try {
      const rec = await putHitlRequest(fx.redis);
      const first = await approve(b2, rec.requestId);
      expectError(first, 503, 'E1000');
      await untouched(rec.requestId);
      down = false;
      expect((await approve(b2, rec.requestId)).status).toBe(200);
    } finally {
      await fx.apps.pop()!.close();
    }
  });

  it('another tenant\'s request is still a 404 before any role or four-eyes rule is applied', async () => {
    const rec = await putHitlRequest(fx.redis, { tenantId: 'globex' });
    expectError(await decide(rec.requestId, rec.userId), 404, 'E1004');
  });
});

describe('failure between the steps converges on retry', () => {
  it('database unavailable after Redis decided → 503; the retry records it once and publishes nothing again', async () => {
    // A second app with its own pool on the same database, which we make unreachable for real.
    const own = await openDatabase({ databaseUrl: fx.tdb.url, poolMax: 2 });
    // The tenant's four-eyes setting is read before Redis decides (a database down then is a 503
    // with nothing done); this test is about the step after Redis, so that read is not cut.
    const b2 = await fx.start({ db: own.db, dbKind: own.kind, ports: { policy: { fourEyes: async () => true } } });
    const admin = new Client({ connectionString: testDatabaseBaseUrl() });
    await admin.connect();
    const rec = await putHitlRequest(fx.redis, { context: { caseId: 'CASE-2026-0002', docKey: '1000-5100000311-2026' } });
    const spy = await channelSpy(rec.sessionId);
    try {
      await admin.query(`ALTER DATABASE "${fx.tdb.name}" WITH ALLOW_CONNECTIONS false`);
      await admin.query('SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()', [fx.tdb.name]);
      const first = await approve(b2, rec.requestId);
      expectError(first, 503, 'E1000');
      expect(first.body.message).toMatch(/retry/i);
      expect(parseHitlRequestRecord((await fx.redis.get(hitlRequestKey({ requestId: rec.requestId })))!).status).toBe('approved');

      await admin.query(`ALTER DATABASE "${fx.tdb.name}" WITH ALLOW_CONNECTIONS true`);
      // The fixture's own pool may still hold a connection the server terminated (its notice
      // not read yet on a busy machine): that query fails once and the pool drops it.
      expect(await afterTermination(() => historyRows(rec.requestId))).toHaveLength(0);
      const retry = await approve(b2, rec.requestId);
      expect(retry.status).toBe(200);
      expect(await historyRows(rec.requestId)).toHaveLength(1);
      const doc = await fx.database.db.selectFrom('fi_doc_header').select('status_code').where('doc_key', '=', '1000-5100000311-2026').executeTakeFirstOrThrow();
      expect(doc.status_code).toBe('APPROVED');
      await spy.settle();
      expect(spy.messages).toHaveLength(1);
    } finally {
      await admin.query(`ALTER DATABASE "${fx.tdb.name}" WITH ALLOW_CONNECTIONS true`).catch(() => undefined);
      await admin.end();
      spy.close();
      await fx.apps.pop()!.close();
      await own.close();
    }
  });

  it('Redis unavailable → 503 and nothing written; the retry with Redis back decides once', async () => {
    const dead = new Redis('redis://127.0.0.1:1', { lazyConnect: true, enableOfflineQueue: false, maxRetriesPerRequest: 0, retryStrategy: () => null });
    dead.on('error', () => undefined);
    const b2 = await fx.start({ ports: { hitlStore: createRedisHitlStore(dead) } });
    const rec = await putHitlRequest(fx.redis, { context: { caseId: 'CASE-2026-0001' } });
    const spy = await channelSpy(rec.sessionId);
    try {
      expectError(await approve(b2, rec.requestId), 503, 'E1000');
      expect(parseHitlRequestRecord((await fx.redis.get(hitlRequestKey({ requestId: rec.requestId })))!).status).toBe('pending');
      expect(await historyRows(rec.requestId)).toHaveLength(0);
      expect((await approve(base, rec.requestId)).status).toBe(200);
      await spy.settle();
      expect(spy.messages).toHaveLength(1);
      expect(await historyRows(rec.requestId)).toHaveLength(1);
    } finally {
      spy.close();
      await fx.apps.pop()!.close();
      dead.disconnect();
    }
  });
});

describe('bad input gets the envelope and changes nothing', () => {
  it('answers each hostile request with the right code', async () => {
    const rec = await putHitlRequest(fx.redis, { context: { caseId: 'CASE-2026-0002' } });
    const url = `/aura/hitl/approve/${rec.requestId}`;
    const h = authHeaders('acme-approver', 'acme');
    const post = (headers: Record<string, string>, opts: { body?: unknown; raw?: string } = {}) => http('POST', base + url, { headers, ...opts });
    const bearer = (t: string) => ({ [HEADERS.AUTHORIZATION]: `Bearer ${t}`, [HEADERS.TENANT_ID]: 'acme' });

    expectError(await post(h, { raw: '{"userId": ' }), 400, 'E1001');
    expectError(await post(h, { body: { userId: 'acme-approver', extra: 1 } }), 400, 'E4000');
    expectError(await post(h, { body: { userId: 42 } }), 400, 'E4000');
    expectError(await post(h, { body: [] }), 400, 'E4000');
    expectError(await http('POST', `${base}/aura/hitl/reject/${rec.requestId}`, { headers: h, body: { reason: 7 } }), 400, 'E4000');
    expectError(await http('POST', `${base}/aura/hitl/reject/${rec.requestId}`, { headers: h, body: { reason: 'x'.repeat(1001) } }), 400, 'E4000');
    expectError(await post(h, { raw: JSON.stringify({ userId: 'a'.repeat(2 * 1024 * 1024) }) }), 413, 'E1001');
    for (const bad of ['req%20x', 'req*', 'req%3F', 'a'.repeat(129), 'req%0D%0Ax']) {
      const r = await http('POST', `${base}/aura/hitl/approve/${bad}`, { headers: h });
      expectError(r, 400, 'E4000');
      expect(r.body.data.errors[0].field).toBe('params.requestId');
    }
    expectError(await post({ [HEADERS.TENANT_ID]: 'acme' }), 401, 'E2000');
    expectError(await post({ [HEADERS.AUTHORIZATION]: `Bearer ${token('acme-approver', 'acme')}` }), 400, 'E2006');
    expectError(await post(bearer(token('acme-approver', 'acme', { ttlSeconds: 60, now: new Date(Date.now() - 7200_000) }))), 401, 'E2002');
    expectError(await post(bearer(noneToken('acme-approver', 'acme'))), 401, 'E2003');
    expectError(await post(bearer(token('acme-approver', 'acme', { secret: 'wrong-secret-wrong-secret-wrong-secret!' }))), 401, 'E2003');
    expectError(await post({ ...bearer(token('acme-approver', 'acme')), [HEADERS.TENANT_ID]: 'globex' }), 403, 'E2007');
    expectError(await post({ ...h, [HEADERS.USER_ID]: 'acme-requester' }), 403, 'E2001');
    expectError(await post(h, { body: { userId: 'acme-requester' } }), 403, 'E2001');
    expectError(await post(authHeaders('g-user', 'globex')), 404, 'E1004');
    expectError(await http('POST', `${base}/aura/hitl/approve/no-such-request`, { headers: h }), 404, 'E1004');
    expectError(await http('GET', base + url, { headers: h }), 405, 'E1002');

    // none of that touched the request
    expect(parseHitlRequestRecord((await fx.redis.get(hitlRequestKey({ requestId: rec.requestId })))!).status).toBe('pending');
    expect(await fx.redis.exists(hitlSignalKey({ sessionId: rec.sessionId }))).toBe(0);
    expect(await historyRows(rec.requestId)).toHaveLength(0);
    // and the service is still fine
    const health = await http('GET', `${base}/main/health`);
    expect(V.HealthResponse(health.body)).toBe(true);
    expect(health.body.data.checks.database.status).toBe('UP');
  });

  it('a NUL in a rejection reason is refused before anything is decided (the history row could not store it)', async () => {
    const rec = await putHitlRequest(fx.redis);
    expectError(await reject(base, rec.requestId, 'acme-approver', { reason: 'no\u0000thanks' }), 400, 'E4000');
    expect(parseHitlRequestRecord((await fx.redis.get(hitlRequestKey({ requestId: rec.requestId })))!).status).toBe('pending');
    expect(await historyRows(rec.requestId)).toHaveLength(0);
  });

  it('a corrupt record in Redis is a 500 envelope, not a crash', async () => {
    await fx.redis.set(hitlRequestKey({ requestId: 'corrupt-1' }), '{"requestId": "corrupt-1", "status": "pending"}', 'EX', 60);
    expectError(await approve(base, 'corrupt-1'), 500, 'E1000');
    await fx.redis.set(hitlRequestKey({ requestId: 'corrupt-2' }), 'not json', 'EX', 60);
    expectError(await http('GET', `${base}/aura/hitl/requests/corrupt-2`, { headers: authHeaders('acme-approver', 'acme') }), 500, 'E1000');
  });
});
