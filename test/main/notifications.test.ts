import { publishAlert, publishCaseAction, publishRagStatus, CHANNELS } from '../../generated/redis';
import type * as S from '../../generated/schemas';
import * as V from '../../generated/validators/schemas';
import { ServiceClient, type StreamEvent, type StreamNotificationsEvents } from '../../generated/service-client';
import { counterValue } from '../../src/main/metrics';
import { startMainNotifications, type MainNotifications } from '../../src/main/wiring';
import { newId } from '../../src/shared/ids';
import { sql } from 'kysely';
import { mainFixture, putHitlRequest, type MainFixture } from './hitl-fixture';
import { authHeaders, token } from '../support/auth';
import { eventually } from '../support/eventually';
import { http } from '../support/http';
import { silentLogger } from './support';
import { testRedisUrl } from '../support/redis';

let fx: MainFixture;
let base: string;
let notif: MainNotifications;
const subName = `main-sub-test-${process.pid}-${Date.now()}`;
// Other suites (Aura, e2e) publish on the same workbench channels for tenant 'acme' while this one
// runs: tests that count a tenant's events use tenants of their own.
const T = `nt-${process.pid}-${Date.now()}`;
const T2 = `${T}-b`;

beforeAll(async () => {
  fx = await mainFixture();
  notif = startMainNotifications({ db: fx.database.db, redisUrl: testRedisUrl(), logger: silentLogger, connectionName: subName });
  await notif.subscriber.ready();
  base = await fx.start({ ...notif });
});
afterAll(async () => {
  await notif?.subscriber.close();
  await fx?.close();
});

function openStream(tenantId: string, lastEventId?: string) {
  const client = new ServiceClient({ baseUrl: base, token: token(`${tenantId}-user`, tenantId), tenantId, direct: true });
  const abort = new AbortController();
  const events: StreamEvent<StreamNotificationsEvents>[] = [];
  const comments: string[] = [];
  const run = (async () => {
    try {
      for await (const ev of client.streamNotifications({}, { signal: abort.signal, lastEventId, maxReconnects: 0, onComment: (c) => comments.push(c) })) events.push(ev);
    } catch {
      /* aborted */
    }
  })();
  return {
    events,
    comments,
    async close() {
      abort.abort();
      await run;
    },
  };
}

const caseAction = (o: Partial<S.CaseActionNotification> = {}): S.CaseActionNotification => ({
  type: 'NOTIFICATION',
  category: 'CASE_ACTION',
  message: '조치 승인됨',
  timestamp: new Date().toISOString(),
  tenant_id: T,
  case_id: 'CASE-2026-0001',
  request_id: newId('req'),
  executor_id: 'acme-approver',
  action_type: 'APPROVE',
  approved: true,
  status_code: 'APPROVED',
  ...o,
});

/** Waits until the tenant has `n` open streams registered (the stream is live). */
async function streamsOpen(tenant: string, n: number) {
  await eventually(async () => (fx.apps[0] ? (await http('GET', `${base}/main/health`)).status === 200 && notif.hub.listeners(tenant) >= n : false), "the tenant's streams open");
}

it('stores workbench notifications per tenant and pushes them to that tenant only, with refetch for CASE_ACTION', async () => {
  const acme = openStream(T);
  const globex = openStream(T2);
  try {
    await streamsOpen(T, 1);
    await streamsOpen(T2, 1);
    const invalidBefore = await counterValue(notif.metrics.notificationsInvalid);
    const ca = caseAction({ history_id: 12, fi_doc_updated: true });
    // unknown fields are tolerated
    await fx.redis.publish(CHANNELS.caseAction.address, JSON.stringify({ ...ca, extra_field: 'ignored' }));
    // invalid messages are counted and dropped; the subscriber carries on
    await fx.redis.publish(CHANNELS.alert.address, 'not json at all');
    await fx.redis.publish(CHANNELS.alert.address, JSON.stringify({ type: 'NOTIFICATION', category: 'AI_DETECT', tenant_id: T }));
    await fx.redis.publish(CHANNELS.caseAction.address, JSON.stringify({ ...caseAction(), timestamp: 1795000000 }));
    await publishRagStatus(fx.redis, { type: 'NOTIFICATION', category: 'RAG_STATUS', message: '학습 완료', timestamp: '2026-11-22T09:00:00Z', tenant_id: T2, rag_document_id: 'rag-1', chunks_added: 3 });
    await publishAlert(fx.redis, { type: 'NOTIFICATION', category: 'AI_DETECT', message: '신규 이상 징후 탐지', timestamp: '2026-11-22T18:00:00+09:00', tenant_id: T, case_id: 'CASE-2026-0002', score: 0.93, severity: 'HIGH' });
    // the same CASE_ACTION again (Aura records automatically and on request) is stored once
    await publishCaseAction(fx.redis, ca);

    await eventually(async () => acme.events.length >= 2 && globex.events.length >= 1, 'acme has two events and globex one');
    expect(await counterValue(notif.metrics.notificationsInvalid)).toBe(invalidBefore + 3);
    // Messages on different channels are stored concurrently: find them by type, not position.
    const first = acme.events.find((e) => (e.data as S.NotificationPushEvent).notification?.type === 'CASE_ACTION');
    const second = acme.events.find((e) => (e.data as S.NotificationPushEvent).notification?.type === 'AI_DETECT');
    expect(first!.event).toBe('notification');
    const push = first!.data as S.NotificationPushEvent;
    expect(V.NotificationPushEvent(push)).toBe(true);
    expect(push.notification).toMatchObject({ tenantId: T, type: 'CASE_ACTION', content: '조치 승인됨', caseId: 'CASE-2026-0001', occurredAt: ca.timestamp });
    expect(push.notification.title).toContain('CASE-2026-0001');
    expect(push.refetch).toEqual({ resource: 'case', caseId: 'CASE-2026-0001' });
    expect(first!.id).toBe(`notifications-${T}:${push.notification.id}`);
    const alert = second!.data as S.NotificationPushEvent;
    expect(alert.notification).toMatchObject({ type: 'AI_DETECT', caseId: 'CASE-2026-0002', occurredAt: '2026-11-22T09:00:00.000Z' });
    expect(alert.refetch).toBeUndefined();
    expect((globex.events[0]!.data as S.NotificationPushEvent).notification).toMatchObject({ tenantId: T2, type: 'RAG_STATUS', caseId: null });

    const list = await http('GET', `${base}/main/notifications?limit=10`, { headers: authHeaders('acme-user', T) });
    expect(V.NotificationListResponse(list.body)).toBe(true);
    expect(list.body.data.items.map((i: S.NotificationItem) => i.type)).toEqual(['AI_DETECT', 'CASE_ACTION']);
    const page = await http('GET', `${base}/main/notifications?limit=1`, { headers: authHeaders('acme-user', T) });
    expect(page.body.data.items).toHaveLength(1);
    const rest = await http('GET', `${base}/main/notifications?before=${page.body.data.nextBefore}`, { headers: authHeaders('acme-user', T) });
    expect(rest.body.data.items.map((i: S.NotificationItem) => i.type)).toEqual(['CASE_ACTION']);
    expect(acme.events).toHaveLength(2); // the duplicate was not pushed
  } finally {
    await acme.close();
    await globex.close();
  }
});

it('resumes from Last-Event-ID with the stored rows, then continues live; a foreign id gets an in-band error', async () => {
  const a = caseAction({ case_id: 'CASE-2026-0003' });
  const s1 = openStream(T);
  let firstId: string;
  try {
    await streamsOpen(T, 1);
    await publishCaseAction(fx.redis, a);
    await eventually(async () => s1.events.length >= 1, 'the first stream has an event');
    firstId = s1.events[0]!.id!;
  } finally {
    await s1.close();
  }
  // published while nobody is connected: stored, and replayed on resume
  const b = caseAction({ case_id: 'CASE-2026-0004' });
  await publishCaseAction(fx.redis, b);
  await eventually(async () => (await http('GET', `${base}/main/notifications?limit=1`, { headers: authHeaders('x', T) })).body.data.items[0].payload.request_id === b.request_id, 'the newest notification listed');
  const s2 = openStream(T, firstId);
  try {
    await eventually(async () => s2.events.length >= 1, 'the second stream has an event');
    expect((s2.events[0]!.data as S.NotificationPushEvent).notification.caseId).toBe('CASE-2026-0004');
    await streamsOpen(T, 1);
    const c = caseAction({ case_id: 'CASE-2026-0005' });
    await publishCaseAction(fx.redis, c);
    await eventually(async () => s2.events.length >= 2, 'the second stream has two events');
    expect((s2.events[1]!.data as S.NotificationPushEvent).notification.caseId).toBe('CASE-2026-0005');
    expect(s2.events).toHaveLength(2);
  } finally {
    await s2.close();
  }
  const s3 = openStream(T, `notifications-${T2}:1`);
  try {
    await eventually(async () => s3.events.length >= 1, 'the third stream has an event');
    expect(s3.events[0]!.event).toBe('error');
    expect(V.ErrorEvent(s3.events[0]!.data)).toBe(true);
  } finally {
    await s3.close();
  }
});

it('resubscribes after its Redis connection is killed, and says so in health', async () => {
  const health = async () => (await http('GET', `${base}/main/health`)).body;
  expect((await health()).data.checks.notifications.status).toBe('UP');
  const clients = (await fx.redis.client('LIST')) as string;
  const line = clients.split('\n').find((l) => l.includes(`name=${subName}`))!;
  const id = /id=(\d+)/.exec(line)![1]!;
  await fx.redis.client('KILL', 'ID', id);
  await eventually(async () => notif.subscriber.status().resubscriptions >= 1 && notif.subscriber.status().subscribed, 'the subscriber resubscribed');
  const h = await health();
  expect(V.HealthResponse(h)).toBe(true);
  expect(h.data.checks.notifications.detail).toMatch(/^subscribed.*resubscriptions=1/);

  const s = openStream(T);
  try {
    await streamsOpen(T, 1);
    await publishCaseAction(fx.redis, caseAction({ case_id: 'CASE-2026-0002' }));
    await eventually(async () => s.events.length >= 1, 'the stream has an event');
  } finally {
    await s.close();
  }
});

it('a decision made through the backend is stored as CASE_ACTION with the decision, and Aura\'s copy is not stored twice', async () => {
  const rec = await putHitlRequest(fx.redis, { context: { caseId: 'CASE-2026-0005', docKey: '1000-5100000405-2026' } });
  const s = openStream('acme');
  try {
    await streamsOpen('acme', 1);
    const r = await http('POST', `${base}/aura/hitl/approve/${rec.requestId}`, { headers: authHeaders('acme-approver', 'acme') });
    expect(r.status).toBe(200);
    const mine = () => s.events.filter((e) => [rec.requestId, marker.request_id].includes((e.data as S.NotificationPushEvent).notification?.payload.request_id as string));
    const marker = caseAction({ tenant_id: 'acme', case_id: 'CASE-2026-0001' });
    await eventually(async () => mine().length >= 1, 'our first notification');
    const push = mine()[0]!.data as S.NotificationPushEvent;
    expect(push.refetch).toEqual({ resource: 'case', caseId: 'CASE-2026-0005' });
    expect(V.CaseActionNotification(push.notification.payload)).toBe(true);
    expect(push.notification.payload).toMatchObject({ request_id: rec.requestId, executor_id: 'acme-approver', status_code: 'APPROVED', fi_doc_updated: true });
    // Aura then publishes the same CASE_ACTION: no second row, no second push
    await publishCaseAction(fx.redis, caseAction({ tenant_id: 'acme', case_id: 'CASE-2026-0005', request_id: rec.requestId }));
    await publishCaseAction(fx.redis, marker);
    await eventually(async () => mine().length >= 2, 'our second notification');
    expect(mine().map((e) => (e.data as S.NotificationPushEvent).notification.payload.request_id)).toEqual([rec.requestId, marker.request_id]);
    const rows = await fx.database.db.selectFrom('notifications').selectAll().where('dedupe_key', 'like', `%${rec.requestId}%`).execute();
    expect(rows).toHaveLength(1);
  } finally {
    await s.close();
  }
});

it("records Aura's TIMEOUT as a case action: history row, document and case on HOLD, one notification", async () => {
  const rec = await putHitlRequest(fx.redis, { context: { caseId: 'CASE-2026-0005', docKey: '1000-5100000405-2026' } });
  const acme = openStream('acme');
  try {
    await streamsOpen('acme', 1);
    const timeout = caseAction({
      tenant_id: 'acme',
      message: '조치 보류됨',
      case_id: 'CASE-2026-0005',
      request_id: rec.requestId,
      executor_id: 'system',
      action_type: 'TIMEOUT',
      approved: false,
      status_code: 'HOLD',
    });
    await publishCaseAction(fx.redis, timeout);
    // Aura may publish twice after a takeover: the second copy must not add anything.
    await publishCaseAction(fx.redis, timeout);
    await eventually(async () => acme.events.some((e) => e.event === 'notification' && e.data.notification.payload.request_id === rec.requestId), 'the CASE_ACTION pushed');
    const history = await fx.database.db.selectFrom('case_action_history').selectAll().where('request_id', '=', rec.requestId).execute();
    expect(history).toEqual([expect.objectContaining({ action_type: 'TIMEOUT', status_code: 'HOLD', executor_id: 'system', session_id: rec.sessionId })]);
    const c = await fx.database.db.selectFrom('cases').select(['status', 'doc_key']).where('case_id', '=', 'CASE-2026-0005').executeTakeFirstOrThrow();
    expect(c.status).toBe('HOLD');
    const doc = await fx.database.db.selectFrom('fi_doc_header').select('status_code').where('doc_key', '=', c.doc_key).executeTakeFirstOrThrow();
    expect(doc.status_code).toBe('HOLD');
    const rows = await fx.database.db
      .selectFrom('notifications')
      .select('id')
      .where('tenant_id', '=', 'acme')
      .where(sql<boolean>`payload->>'request_id' = ${rec.requestId}`)
      .execute();
    expect(rows).toHaveLength(1);
  } finally {
    await acme.close();
  }
});
