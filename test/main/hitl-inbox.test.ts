// The approvals inbox (GET /main/hitl/requests) and its live updates, against the real Redis,
// PostgreSQL and HTTP: requests are created and expired by Aura's own RedisHitlWaits (the scripts that
// publish HITL_REQUEST through the workbench outbox), decided through main's HTTP endpoint.
import type * as S from '../../generated/schemas';
import * as V from '../../generated/validators/schemas';
import { ServiceClient, type StreamEvent, type StreamNotificationsEvents } from '../../generated/service-client';
import { RedisHitlWaits } from '../../src/aura/redis/hitl-waits';
import { startMainNotifications, type MainNotifications } from '../../src/main/wiring';
import { newId } from '../../src/shared/ids';
import { unixSeconds } from '../../src/shared/time';
import { mainFixture, type MainFixture } from './hitl-fixture';
import { authHeaders, token } from '../support/auth';
import { eventually } from '../support/eventually';
import { expectError, http } from '../support/http';
import { silentLogger } from './support';
import { testRedisUrl } from '../support/redis';

let fx: MainFixture;
let base: string;
let notif: MainNotifications;
let aura: RedisHitlWaits;
// Other suites publish for 'acme' on the same Redis: this one uses tenants of its own.
const T = `inbox-${process.pid}-${Date.now()}`;
const T2 = `${T}-b`;

beforeAll(async () => {
  fx = await mainFixture();
  notif = startMainNotifications({ db: fx.database.db, redisUrl: testRedisUrl(), logger: silentLogger, connectionName: `inbox-sub-${process.pid}` });
  await notif.subscriber.ready();
  // The first outbox pass only places this database's cursor at the outbox's end.
  await notif.outbox.catchUp();
  base = await fx.start({ ...notif });
  aura = new RedisHitlWaits(fx.redis);
});
afterAll(async () => {
  await notif?.subscriber.close();
  await fx?.close();
});

function openStream(tenantId: string, baseUrl = base, lastEventId?: string) {
  const client = new ServiceClient({ baseUrl, token: token(`${tenantId}-viewer`, tenantId), tenantId, direct: true });
  const abort = new AbortController();
  const events: StreamEvent<StreamNotificationsEvents>[] = [];
  const run = (async () => {
    try {
      for await (const ev of client.streamNotifications({}, { signal: abort.signal, lastEventId, maxReconnects: 0 })) events.push(ev);
    } catch {
      /* aborted */
    }
  })();
  const hitl = () =>
    events
      .map((e) => e.data as S.NotificationPushEvent)
      .filter((p) => p.notification?.type === 'HITL_REQUEST')
      .map((p) => p.notification.payload as unknown as S.HitlInboxItem);
  return {
    events,
    hitl,
    async close() {
      abort.abort();
      await run;
    },
  };
}

async function streamsOpen(hub: MainNotifications['hub'], tenant: string, n: number) {
  await eventually(async () => hub.listeners(tenant) >= n, "the tenant's streams registered");
}

let seq = 0;
async function create(o: { tenantId?: string; caseId?: string; actionType?: string; createdAt?: number } = {}): Promise<S.HitlRequestRecord> {
  const id = `${process.pid}-${Date.now()}-${++seq}`;
  const now = unixSeconds();
  return aura.create({
    requestId: `req-${id}`,
    sessionId: `sess-${id}`,
    userId: 'inbox-requester',
    tenantId: o.tenantId ?? T,
    actionType: o.actionType ?? 'PAYMENT_BLOCK',
    message: `Block the duplicate payment (${id})?`,
    context: { caseId: o.caseId ?? 'CASE-2026-0001', docKey: '1000-5100000187-2026', streamId: `stream-${id}` },
    status: 'pending',
    createdAt: o.createdAt ?? now,
    expiresAt: now + 300,
  });
}

async function list(tenantId: string, query = ''): Promise<S.HitlInboxList> {
  const r = await http('GET', `${base}/main/hitl/requests${query}`, { headers: authHeaders(`${tenantId}-viewer`, tenantId) });
  expect(r.status).toBe(200);
  expect(V.HitlInboxListResponse(r.body)).toBe(true);
  return r.body.data as S.HitlInboxList;
}

const ids = (l: S.HitlInboxList) => l.items.map((i) => i.requestId);

it('a created request appears in the list and on the tenant stream only; a decision removes it, live', async () => {
  const s = openStream(T);
  const other = openStream(T2);
  try {
    await streamsOpen(notif.hub, T, 1);
    await streamsOpen(notif.hub, T2, 1);
    const r = await create();
    await eventually(async () => s.hitl().some((m) => m.requestId === r.requestId && m.status === 'pending'), 'the pending request pushed');
    const pending = await list(T);
    const item = pending.items.find((i) => i.requestId === r.requestId);
    expect(item).toEqual({
      requestId: r.requestId,
      sessionId: r.sessionId,
      caseId: 'CASE-2026-0001',
      docKey: '1000-5100000187-2026',
      actionType: 'PAYMENT_BLOCK',
      summary: r.message,
      requestedBy: 'inbox-requester',
      requestedAt: r.createdAt,
      expiresAt: r.expiresAt,
      status: 'pending',
      streamId: r.context.streamId,
    });
    // Another tenant sees neither the item nor its push.
    expect(ids(await list(T2))).not.toContain(r.requestId);

    const ok = await http('POST', `${base}/aura/hitl/approve/${r.requestId}`, { headers: authHeaders('inbox-approver', T), body: {} });
    expect(ok.status).toBe(200);
    await eventually(async () => s.hitl().some((m) => m.requestId === r.requestId && m.status === 'approved'), 'the approval pushed');
    const decided = s.hitl().find((m) => m.requestId === r.requestId && m.status === 'approved')!;
    expect(V.HitlInboxItem(decided)).toBe(true);
    expect(decided).toMatchObject({ decidedBy: 'inbox-approver', streamId: r.context.streamId, expiresAt: r.expiresAt });
    expect(ids(await list(T))).not.toContain(r.requestId);
    const approved = await list(T, '?status=approved');
    expect(approved.items.find((i) => i.requestId === r.requestId)).toMatchObject({ status: 'approved', decidedBy: 'inbox-approver' });
    expect(other.hitl()).toHaveLength(0);
  } finally {
    await s.close();
    await other.close();
  }
});

it('an expiry (Aura timeout) moves the request to `expired`, live; a decision after it is refused', async () => {
  const s = openStream(T);
  try {
    await streamsOpen(notif.hub, T, 1);
    const r = await create({ caseId: 'CASE-2026-0002' });
    expect(await aura.expire(r.requestId, unixSeconds())).toEqual({ expired: true });
    await eventually(async () => s.hitl().some((m) => m.requestId === r.requestId && m.status === 'expired'), 'the expiry pushed');
    expect(ids(await list(T))).not.toContain(r.requestId);
    expect((await list(T, '?status=expired')).items.find((i) => i.requestId === r.requestId)).toMatchObject({ status: 'expired', caseId: 'CASE-2026-0002' });
    const late = await http('POST', `${base}/aura/hitl/approve/${r.requestId}`, { headers: authHeaders('inbox-approver', T), body: {} });
    expect(late.status).toBe(409);
    // A second expiry of the same request publishes nothing more.
    expect(await aura.expire(r.requestId, unixSeconds())).toEqual({ expired: true });
    await create({ caseId: 'CASE-2026-0002' }).then((x) => eventually(async () => s.hitl().some((m) => m.requestId === x.requestId), 'the new request pushed'));
    expect(s.hitl().filter((m) => m.requestId === r.requestId && m.status === 'expired')).toHaveLength(1);
  } finally {
    await s.close();
  }
});

it('filters by case and action type, newest first, with cursor pagination', async () => {
  const t = `${T}-pg`;
  const at = unixSeconds() - 1000;
  const made: S.HitlRequestRecord[] = [];
  // Two with the same second: the request id breaks the tie, so no page repeats or skips one.
  for (const [i, c, a] of [
    [0, 'CASE-A', 'PAYMENT_BLOCK'],
    [1, 'CASE-B', 'PAYMENT_BLOCK'],
    [1, 'CASE-A', 'REQUEST_INFO'],
    [2, 'CASE-A', 'PAYMENT_BLOCK'],
    [3, 'CASE-B', 'REQUEST_INFO'],
  ] as const)
    made.push(await create({ tenantId: t, caseId: c, actionType: a, createdAt: at + i }));
  await eventually(async () => (await list(t)).items.length === 5, 'five requests listed');
  const newestFirst = [...made].sort((x, y) => y.createdAt - x.createdAt || (y.requestId < x.requestId ? -1 : 1)).map((r) => r.requestId);
  expect(ids(await list(t))).toEqual(newestFirst);

  const seen: string[] = [];
  let cursor: string | undefined;
  for (let page = 0; page < 5; page++) {
    const l = await list(t, `?limit=2${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`);
    seen.push(...ids(l));
    cursor = l.nextCursor;
    if (!cursor) break;
  }
  expect(seen).toEqual(newestFirst);

  expect(ids(await list(t, '?caseId=CASE-A'))).toEqual(newestFirst.filter((id) => made.find((m) => m.requestId === id)!.context.caseId === 'CASE-A'));
  expect(ids(await list(t, '?actionType=REQUEST_INFO&caseId=CASE-B'))).toEqual([made[4]!.requestId]);
  const bad = await http('GET', `${base}/main/hitl/requests?status=maybe`, { headers: authHeaders('v', t) });
  expect(bad.status).toBe(400);
  // Schemathesis' finding: a NUL in the action type reached PostgreSQL, which refused it (500).
  const nul = await http('GET', `${base}/main/hitl/requests?actionType=%F2%B3%87%96%00%C2%92f`, { headers: authHeaders('v', t) });
  expectError(nul, 400, 'E4000');
  // Tenant isolation: the token's tenant decides what is listed.
  expect((await list(`${t}-other`)).items).toHaveLength(0);
});

it('a stream that reconnects with Last-Event-ID gets the changes it missed; a backend that was down reads them from the outbox', async () => {
  const s1 = openStream(T);
  const r = await (async () => {
    await streamsOpen(notif.hub, T, 1);
    const x = await create({ caseId: 'CASE-2026-0003' });
    await eventually(async () => s1.hitl().some((m) => m.requestId === x.requestId), 'the request pushed on the first stream');
    return x;
  })();
  const lastId = s1.events[s1.events.length - 1]!.id!;
  await s1.close();
  // Decided while the workbench is away: replayed on resume.
  expect((await http('POST', `${base}/aura/hitl/reject/${r.requestId}`, { headers: authHeaders('inbox-approver', T), body: { reason: 'not a duplicate' } })).status).toBe(200);
  await eventually(async () => (await list(T, '?status=rejected')).items.some((i) => i.requestId === r.requestId), 'the rejection listed');
  const s2 = openStream(T, base, lastId);
  try {
    await eventually(async () => s2.hitl().some((m) => m.requestId === r.requestId && m.status === 'rejected'), 'the rejection pushed on the second stream');
    expect(s2.hitl().find((m) => m.requestId === r.requestId && m.status === 'rejected')).toMatchObject({ reason: 'not a duplicate' });
  } finally {
    await s2.close();
  }

  // The backend's subscriber is down while Aura creates a request: nothing hears the PUBLISH.
  await notif.subscriber.close();
  const missed = await create({ caseId: 'CASE-2026-0004' });
  // A restarted backend (same database) reads on from its outbox cursor.
  const again = startMainNotifications({ db: fx.database.db, redisUrl: testRedisUrl(), logger: silentLogger, connectionName: `inbox-sub2-${process.pid}` });
  try {
    await again.subscriber.ready();
    await again.outbox.catchUp();
    const base2 = await fx.start({ ...again });
    const r2 = await http('GET', `${base2}/main/hitl/requests?caseId=CASE-2026-0004`, { headers: authHeaders('v', T) });
    expect(r2.body.data.items.map((i: S.HitlInboxItem) => i.requestId)).toEqual([missed.requestId]);
  } finally {
    await again.subscriber.close();
  }
});

it('keeps a request whose messages arrive out of order in its final state', async () => {
  const t = `${T}-ooo`;
  const id = newId('req');
  const pendingMsg: S.HitlRequestNotification = {
    type: 'NOTIFICATION',
    category: 'HITL_REQUEST',
    message: 'x',
    timestamp: new Date().toISOString(),
    tenant_id: t,
    request_id: id,
    session_id: newId('sess'),
    status: 'pending',
    action_type: 'PAYMENT_BLOCK',
    requested_by: 'someone',
    requested_at: unixSeconds(),
  };
  const { createDbHitlInbox } = await import('../../src/main/workbench-store/hitl-inbox');
  const inbox = createDbHitlInbox(fx.database.db);
  expect(await inbox.apply({ ...pendingMsg, status: 'approved', decided_by: 'a', decided_at: unixSeconds() })).toBe(true);
  expect(await inbox.apply(pendingMsg)).toBe(false);
  expect(await inbox.apply({ ...pendingMsg, status: 'expired' })).toBe(false);
  expect((await list(t, '?status=approved')).items.map((i) => i.requestId)).toEqual([id]);
  expect((await list(t)).items).toHaveLength(0);
});
