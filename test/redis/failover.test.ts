// Redis failover without loss: the real platform on Sentinel (a primary, a replica, three
// sentinels from Debian's packages), failed over with SENTINEL FAILOVER while a run waits for
// its HITL decision, two clients tail its stream and RAG_STATUS notifications are published.
import { auraAgentStreamKey, workbenchOutboxKey } from '../../generated/redis';
import type * as S from '../../generated/schemas';
import { DwpApiError, DwpClient, type StartAgentStreamEvents, type StreamEvent } from '../../generated/sdk';
import { sdkValidation } from '../../generated/sdk/validation';
import { startPlatform, type Platform } from '../../src/platform';
import { DONE_ENTRY } from '../../src/aura/streams/stream-log';
import { DEMO_CREDENTIALS } from '../../src/shared/db/seed';
import { OUTBOX_FIELD } from '../../src/shared/redis/workbench-outbox';
import { eventually } from '../support/eventually';
import { createTestDatabase, type TestDatabase } from '../support/pg';
import { redisBinaries, type SentinelGroup, startSentinelGroup } from '../support/redis-sentinel';

jest.setTimeout(180_000);

const approver = DEMO_CREDENTIALS.find((c) => c.role === 'APPROVER')!;
const requester = DEMO_CREDENTIALS.find((c) => c.role === 'REQUESTER')!;
const CASE_ID = 'CASE-2026-0001';

let group: SentinelGroup | undefined;
let db: TestDatabase | undefined;
let platform: Platform | undefined;

beforeAll(async () => {
  redisBinaries(); // throws, naming the packages, when redis-sentinel is missing: the suite fails
  group = await startSentinelGroup();
  db = await createTestDatabase();
  platform = await startPlatform(
    {
      NODE_ENV: 'test',
      DATABASE_URL: db.url,
      REDIS_SENTINELS: group.sentinelsEnv,
      REDIS_MASTER_NAME: group.masterName,
      JWT_SECRET: 'failover-test-secret-'.padEnd(40, 'x'),
      GATEWAY_PORT: '0',
      AUTH_PORT: '0',
      MAIN_PORT: '0',
      AURA_PORT: '0',
      HITL_TIMEOUT_SECONDS: '150',
    },
    { seed: true, logLevel: process.env.FAILOVER_LOG_LEVEL ?? 'silent', host: '127.0.0.1' },
  );
}, 90_000);

afterAll(async () => {
  await platform?.close();
  await db?.drop();
  await group?.stop();
});

/** Reads a stream into `into`, waking `waiters` on every event; resolves when it ends. */
function collect(gen: AsyncGenerator<StreamEvent<StartAgentStreamEvents>>, into: StreamEvent<StartAgentStreamEvents>[], waiters: Set<() => void>): Promise<void> {
  return (async () => {
    for await (const ev of gen) {
      into.push(ev);
      for (const w of [...waiters]) w();
    }
  })();
}

function waitFor(events: StreamEvent<StartAgentStreamEvents>[], waiters: Set<() => void>, pred: (e: StreamEvent<StartAgentStreamEvents>) => boolean, ms: number, what: string) {
  return new Promise<StreamEvent<StartAgentStreamEvents>>((resolve, reject) => {
    const check = () => {
      const hit = events.find(pred);
      if (!hit) return;
      clearTimeout(t);
      waiters.delete(check);
      resolve(hit);
    };
    const t = setTimeout(() => {
      waiters.delete(check);
      reject(new Error(`${what}: not within ${ms} ms; got ${events.map((e) => e.event).join(',')}`));
    }, ms);
    waiters.add(check);
    check();
  });
}

async function listAll(client: DwpClient): Promise<S.NotificationItem[]> {
  const all: S.NotificationItem[] = [];
  let before: string | undefined;
  for (let page = 0; page < 50; page++) {
    const data = (await client.listNotifications({ query: { limit: 200, ...(before ? { before } : {}) } })).data;
    all.push(...data.items);
    if (!data.nextBefore || data.items.length === 0) break;
    before = data.nextBefore;
  }
  return all;
}

test('a Sentinel failover during a HITL wait, a stream tail and notification publishing loses nothing and doubles nothing', async () => {
  const g = group!;
  const gw = platform!.urls.gateway;
  expect(platform!.redisSource).toBe('sentinel');
  const anon = new DwpClient({ baseUrl: gw, validation: sdkValidation, timeoutMs: 30_000 });
  const logIn = async (c: typeof approver) => {
    const l = (await anon.login({ body: { username: c.username, password: c.password, tenantId: c.tenantId } })).data;
    return anon.withToken(l.accessToken, l.tenantId);
  };
  const client = await logIn(approver);
  // The run is someone else's request: the approver decides on it (four eyes).
  const asker = await logIn(requester);
  const caseBefore = (await client.getCase({ params: { caseId: CASE_ID } })).data;
  expect(caseBefore.actions).toEqual([]);
  const ac = new AbortController();
  let stopPublishing = false;
  let publishing: Promise<void> | undefined;

  try {
    // --- a run reaches its HITL wait; a second client joins its stream
    const owner: StreamEvent<StartAgentStreamEvents>[] = [];
    const ownerWaiters = new Set<() => void>();
    const ownerDone = collect(
      asker.startAgentStream(
        { body: { prompt: `Review case ${CASE_ID} and propose an action`, context: { caseId: CASE_ID, docKey: caseBefore.case.docKey } } },
        // One connection from start to [DONE]: the decision must reach this very stream.
        { signal: ac.signal, maxReconnects: 0 },
      ),
      owner,
      ownerWaiters,
    );
    const hitlEv = await waitFor(owner, ownerWaiters, (e) => e.event === 'hitl', 30_000, 'the hitl event');
    const hitl = hitlEv.data as S.HitlEvent;
    const streamId = hitlEv.id!.slice(0, hitlEv.id!.lastIndexOf(':'));

    const joined: StreamEvent<StartAgentStreamEvents>[] = [];
    const joinedWaiters = new Set<() => void>();
    const joinedDone = collect(
      client.joinStream({ params: { streamId } }, { signal: ac.signal, maxReconnects: 0 }) as AsyncGenerator<StreamEvent<StartAgentStreamEvents>>,
      joined,
      joinedWaiters,
    );
    await waitFor(joined, joinedWaiters, (e) => e.id === hitlEv.id, 15_000, 'the joined client to reach the hitl event');

    // --- notifications flow through Aura's real operation, across the failover
    const ingests: { documentId: string; ok: boolean; error?: string; afterFailover: boolean }[] = [];
    let failedOver = false;
    publishing = (async () => {
      for (let i = 0; !stopPublishing; i++) {
        const documentId = `failover-doc-${Date.now().toString(36)}-${i}`;
        const afterFailover = failedOver;
        try {
          await client.ingestRagDocument({ signal: ac.signal, body: { documentId, title: `Failover ${i}`, content: `제${i}조 (테스트) failover notification ${i}.` } });
          ingests.push({ documentId, ok: true, afterFailover });
        } catch (err) {
          ingests.push({ documentId, ok: false, error: err instanceof DwpApiError ? `${err.status} ${err.message}` : (err as Error).message, afterFailover });
        }
      }
    })();
    await eventually(async () => ingests.filter((x) => x.ok).length >= 5, 'a few notifications before the failover', { timeoutMs: 30_000, everyMs: 100 });

    // Everything written so far (HITL records, stream log, leases, outbox) is on the replica.
    await g.syncReplica();
    const { from, to } = await g.failover();
    failedOver = true;
    expect(to).not.toBe(from);

    // Writes resume as soon as the sentinels have switched, not when the old primary is finally
    // demoted (Sentinel's next INFO poll of it, ~10 s): the connections follow +switch-master.
    await eventually(async () => ingests.some((x) => x.ok && x.afterFailover), 'a notification accepted right after the switch', { timeoutMs: 5_000, everyMs: 100 });
    await eventually(async () => ingests.filter((x) => x.ok && x.afterFailover).length >= 5, 'notifications accepted after the failover', { timeoutMs: 30_000, everyMs: 100 });
    stopPublishing = true;
    await publishing;

    // --- the decision, taken after the failover, reaches the waiting run on the same stream
    const decided = await client.approveHitl({ params: { requestId: hitl.requestId }, body: {} });
    expect(decided.data).toMatchObject({ requestId: hitl.requestId, status: 'approved' });
    await waitFor(owner, ownerWaiters, (e) => e.event === 'end', 30_000, 'the owner stream to end');
    await waitFor(joined, joinedWaiters, (e) => e.event === 'end', 30_000, 'the joined stream to end');
    await Promise.all([ownerDone, joinedDone]);

    const names = owner.map((e) => e.event);
    expect(names.slice(names.indexOf('hitl') + 1)).toEqual(['tool_execution', 'content', 'end']);
    expect(owner.at(-1)).toMatchObject({ event: 'end', data: { status: 'approved' } });
    // No event lost, none doubled: both clients saw exactly the run's log, in order.
    const ownerIds = owner.map((e) => e.id);
    const joinedIds = joined.map((e) => e.id);
    expect(new Set(ownerIds).size).toBe(ownerIds.length);
    expect(joinedIds).toEqual(ownerIds);
    const master = g.direct(await g.masterPort());
    const logged = (await master.xrange(auraAgentStreamKey({ streamId }), '-', '+')).filter(([, f]) => f[f.indexOf('e') + 1] !== DONE_ENTRY);
    expect(logged.map(([id]) => `${streamId}:${id.split('-')[1]}`)).toEqual(ownerIds);

    // A second decision is refused: nothing is applied twice.
    await expect(client.approveHitl({ params: { requestId: hitl.requestId }, body: {} })).rejects.toMatchObject({ status: 409 });

    // --- every notification published is stored exactly once
    const ok = ingests.filter((x) => x.ok);
    expect(ok.filter((x) => x.afterFailover).length).toBeGreaterThanOrEqual(5);
    const outbox = await master.xrange(workbenchOutboxKey({}), '-', '+');
    const outboxDocs = outbox
      .map(([, f]) => JSON.parse(f[f.indexOf(OUTBOX_FIELD.message) + 1]) as { category: string; rag_document_id?: string; request_id?: string })
      .filter((m) => m.category === 'RAG_STATUS' && m.rag_document_id?.startsWith('failover-doc-'))
      .map((m) => m.rag_document_id!);
    // Entries are unique (a command replayed after a reconnect would have appended one twice).
    expect(new Set(outboxDocs).size).toBe(outboxDocs.length);
    // Every acknowledged publish and every outbox entry is stored. An entry the old primary
    // acknowledged in the instant before its replica was promoted can be missing from the new
    // primary's outbox (asynchronous replication); the live PUBLISH still brought it.
    const expected = [...new Set([...ok.map((x) => x.documentId), ...outboxDocs])];
    const stored = await eventually(
      async () => {
        const rows = (await listAll(client)).filter((n) => n.type === 'RAG_STATUS' && String(n.payload.rag_document_id ?? '').startsWith('failover-doc-'));
        return expected.every((d) => rows.some((n) => n.payload.rag_document_id === d)) ? rows : undefined;
      },
      'every published notification stored',
      { timeoutMs: 30_000, everyMs: 100 },
    );
    const storedDocs = stored.map((n) => String(n.payload.rag_document_id));
    // Once each; nothing stored that was neither acknowledged nor in the outbox… except a refused
    // call whose PUBLISH reached the backend before its error did, which is in neither list.
    expect(new Set(storedDocs).size).toBe(storedDocs.length);
    const refusedIds = new Set(ingests.filter((x) => !x.ok).map((x) => x.documentId));
    expect(storedDocs.filter((d) => !expected.includes(d) && !refusedIds.has(d))).toEqual([]);

    // --- the decision is recorded once: one history row, one CASE_ACTION
    const caseAfter = (await client.getCase({ params: { caseId: CASE_ID } })).data;
    expect(caseAfter.actions.filter((a) => a.requestId === hitl.requestId)).toEqual([expect.objectContaining({ actionType: 'APPROVE', statusCode: 'APPROVED' })]);
    const caseActions = await eventually(
      async () => {
        const rows = (await listAll(client)).filter((n) => n.type === 'CASE_ACTION' && n.payload.request_id === hitl.requestId);
        return rows.length > 0 ? rows : undefined;
      },
      'the CASE_ACTION stored',
      { timeoutMs: 30_000, everyMs: 100 },
    );
    expect(caseActions).toHaveLength(1);

    // What failed during the failover window failed loudly (an error answer), never silently.
    const failed = ingests.filter((x) => !x.ok);
    if (failed.length) console.info(`ingests refused during the failover: ${failed.length} of ${ingests.length}: ${[...new Set(failed.map((f) => f.error))].join('; ')}`);
  } finally {
    // A failed assertion must not leave the publisher looping against a closing platform.
    stopPublishing = true;
    ac.abort();
    await publishing;
  }
});
