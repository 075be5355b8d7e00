// The workbench outbox: what the backend's subscription misses (connection down, backend not
// running) is read from the outbox stream, once; the real Redis and database throughout.
import { alertAddress, publishAlert, publishRagStatus, ragStatusAddress } from '../../generated/redis';
import type * as S from '../../generated/schemas';
import { aiDetectNotification, ragStatusNotification } from '../../src/aura/notifications/messages';
import { startMainNotifications, type MainNotifications } from '../../src/main/wiring';
import { newId } from '../../src/shared/ids';
import { compareStreamIds, OUTBOX_FIELD, OUTBOX_MAXLEN, outboxKey, outboxPublisher, readOutbox } from '../../src/shared/redis/workbench-outbox';
import { mainFixture, type MainFixture } from './hitl-fixture';
import { eventually } from '../support/eventually';
import { silentLogger } from './support';
import { testRedisUrl } from '../support/redis';

let fx: MainFixture;
let notif: MainNotifications | undefined;
const subName = `main-outbox-sub-${process.pid}-${Date.now()}`;
// Other suites publish on the same channels; this one counts rows of its own tenant only.
const T = `ob-${process.pid}-${Date.now()}`;

/** An entry in the outbox whose PUBLISH nobody heard: what a subscriber misses while it is down. */
async function appendUnheard(channel: string, message: S.WorkbenchNotification): Promise<string> {
  return (await fx.redis.xadd(outboxKey(), 'MAXLEN', '~', OUTBOX_MAXLEN, '*', OUTBOX_FIELD.channel, channel, OUTBOX_FIELD.message, JSON.stringify(message)))!;
}

const rowsOf = (key: string) => fx.database.db.selectFrom('notifications').selectAll().where('tenant_id', '=', T).where('dedupe_key', '=', key).execute();

async function killSubscriberConnection() {
  const clients = (await fx.redis.client('LIST')) as string;
  const line = clients.split('\n').find((l) => l.includes(`name=${subName}`))!;
  await fx.redis.client('KILL', 'ID', /id=(\d+)/.exec(line)![1]!);
}

beforeAll(async () => {
  fx = await mainFixture();
});
afterAll(async () => {
  await notif?.subscriber.close();
  await fx?.close();
});

it('a new database starts at the end of the outbox: it does not import notifications from before it', async () => {
  const before = ragStatusNotification(T, `doc-before-${newId('d')}`, 3);
  await appendUnheard(ragStatusAddress(), before);
  // The periodic pass is out of the way: only (re)subscriptions and explicit passes read.
  notif = startMainNotifications({ db: fx.database.db, redisUrl: testRedisUrl(), logger: silentLogger, connectionName: subName, outboxSweepMs: 3_600_000 });
  await notif.subscriber.ready();
  await eventually(async () => notif!.subscriber.status().outbox?.cursor != null, 'the outbox cursor placed');
  await notif.outbox.catchUp();
  expect(await rowsOf(`RAG_STATUS:${T}:${before.rag_document_id}:${before.timestamp}`)).toHaveLength(0);
});

it('reads what was published while the subscription was down once it is back, and pushes it', async () => {
  const missed = ragStatusNotification(T, `doc-missed-${newId('d')}`, 7);
  await appendUnheard(ragStatusAddress(), missed);
  const key = `RAG_STATUS:${T}:${missed.rag_document_id}:${missed.timestamp}`;
  // Nothing has read it yet (no PUBLISH was heard, no pass has run).
  expect(await rowsOf(key)).toHaveLength(0);
  const pushed: unknown[] = [];
  const unsubscribe = notif!.hub.subscribe(T, (item) => pushed.push(item));
  try {
    await killSubscriberConnection();
    // Never published, so only the outbox reader can have stored it (it counts it as recovered
    // a moment after the row is committed: wait for both).
    await eventually(async () => (notif!.subscriber.status().outbox?.recovered ?? 0) >= 1 && (await rowsOf(key)).length === 1, 'the outbox recovered the row');
    expect(notif!.subscriber.status().resubscriptions).toBeGreaterThanOrEqual(1);
    expect(pushed).toEqual([expect.objectContaining({ type: 'RAG_STATUS', tenantId: T })]);
  } finally {
    unsubscribe();
  }
});

it('a notification heard live and read again from the outbox is one row', async () => {
  await notif!.subscriber.ready();
  const runId = newId('run');
  const alert = aiDetectNotification(T, 'CASE-2026-0009', runId, 0.93);
  // The production path: the outbox entry and the PUBLISH in one MULTI.
  await publishAlert(outboxPublisher(fx.redis), alert, alertAddress());
  const key = `AI_DETECT:${T}:${runId}`;
  const pushed: { payload: Record<string, unknown> }[] = [];
  const unsubscribe = notif!.hub.subscribe(T, (item) => pushed.push(item));
  try {
    await eventually(async () => (await rowsOf(key)).length === 1, 'one row stored');
    await notif!.outbox.catchUp();
    await notif!.outbox.catchUp();
    expect(await rowsOf(key)).toHaveLength(1);
    // The outbox copy was read (the cursor is past it) and taken for the duplicate it is: not
    // stored again, not pushed again. (Other suites append meanwhile: compare with our entry.)
    const entries = await readOutbox(fx.redis, '0-0', 100_000);
    const ours = entries.find((e) => e.message.includes(runId))!;
    expect(compareStreamIds(notif!.subscriber.status().outbox!.cursor!, ours.id)).toBeGreaterThanOrEqual(0);
    expect(pushed.filter((p) => p.payload.run_id === runId)).toHaveLength(1);
  } finally {
    unsubscribe();
  }
});

it('a backend that was not running reads on from its cursor when it starts again', async () => {
  await notif!.subscriber.close();
  notif = undefined;
  const whileDown = ragStatusNotification(T, `doc-down-${newId('d')}`, 2);
  await publishRagStatus(outboxPublisher(fx.redis), whileDown, ragStatusAddress());
  notif = startMainNotifications({ db: fx.database.db, redisUrl: testRedisUrl(), logger: silentLogger, connectionName: subName, outboxSweepMs: 3_600_000 });
  const key = `RAG_STATUS:${T}:${whileDown.rag_document_id}:${whileDown.timestamp}`;
  await eventually(async () => (notif!.subscriber.status().outbox?.recovered ?? 0) >= 1 && (await rowsOf(key)).length === 1, 'the outbox recovered the row');
});
