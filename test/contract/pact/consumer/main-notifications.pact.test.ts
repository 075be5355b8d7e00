// Consumer: the backend receiving Aura's workbench notifications. Each pact message goes through
// the backend's real handler (`createWorkbenchIngest`: parse with the generated helper, store in
// the real database, push to the tenant's streams).
import { MatchersV3 as M, PactV4, SpecificationVersion } from '@pact-foundation/pact';
import pino from 'pino';
import type * as S from '../../../../generated/schemas';
import { createMainMetrics } from '../../../../src/main/metrics';
import { NotificationHub } from '../../../../src/main/notifications/hub';
import { createWorkbenchIngest } from '../../../../src/main/notifications/ingest';
import { createDbNotificationRepo } from '../../../../src/main/workbench-store/notification-repo';
import { openDatabase, type Database } from '../../../../src/shared/db/database';
import { createTestDatabase, type TestDatabase } from '../../../support/pg';
import { PACT_DIR, PACTICIPANTS, TENANT } from '../names';

const pact = new PactV4({ consumer: PACTICIPANTS.main, provider: PACTICIPANTS.auraMessages, dir: PACT_DIR, spec: SpecificationVersion.SPECIFICATION_VERSION_V4, logLevel: 'warn' });
const ID = /^[A-Za-z0-9._:-]{1,128}$/;
const ISO = '^\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}(\\.\\d+)?(Z|[+-]\\d{2}:\\d{2})$';
const base = { type: 'NOTIFICATION', timestamp: M.regex(ISO, '2026-02-11T12:00:00.000Z'), tenant_id: M.regex(ID, TENANT) };

let testDb: TestDatabase;
let database: Database;
beforeAll(async () => {
  testDb = await createTestDatabase();
  database = await openDatabase({ databaseUrl: testDb.url });
}, 30_000);
afterAll(async () => {
  await database?.close();
  await testDb?.drop();
});

/** Runs the backend's handler on the message; returns the pushed item (stored, or it would not be pushed). */
async function ingest(content: unknown, channel: string): Promise<S.NotificationItem> {
  const hub = new NotificationHub();
  const metrics = createMainMetrics();
  const pushed: S.NotificationItem[] = [];
  hub.subscribe(TENANT, (i) => pushed.push(i));
  const handle = createWorkbenchIngest({ repo: createDbNotificationRepo(database.db), hub, metrics, log: pino({ level: 'silent' }) });
  await handle(channel, Buffer.from(JSON.stringify(content)));
  if (pushed.length !== 1) throw new Error(`the backend did not store and push the message (${pushed.length} pushed)`);
  const stored = await createDbNotificationRepo(database.db).list(TENANT, 1);
  expect(String(stored[0]?.id)).toBe(pushed[0]!.id);
  return pushed[0]!;
}

const caseActions = [
  { action: 'APPROVE', approved: true, status: 'APPROVED', message: '조치 승인됨', executor: 'acme-approver' },
  { action: 'REJECT', approved: false, status: 'REJECTED', message: '조치 거절됨', executor: 'acme-approver' },
  { action: 'TIMEOUT', approved: false, status: 'HOLD', message: '조치 보류됨', executor: 'system' },
] as const;

test.each(caseActions)('CASE_ACTION $action is stored and pushed', async (c) => {
  await pact
    .addAsynchronousInteraction()
    .given(`a HITL request on case CASE-2026-0001 ended with ${c.action}`, { actionType: c.action })
    .expectsToReceive(`a CASE_ACTION ${c.action} notification`, (b) =>
      b.withJSONContent({
        ...base,
        category: 'CASE_ACTION',
        message: c.message,
        case_id: M.regex(ID, 'CASE-2026-0001'),
        request_id: M.regex(ID, `req-pact-${c.action.toLowerCase()}`),
        executor_id: M.regex(ID, c.executor),
        action_type: c.action,
        approved: c.approved,
        status_code: c.status,
      }),
    )
    .executeTest(async (m) => {
      const item = await ingest(m.contents.content, 'workbench:case:action');
      expect(item).toMatchObject({ type: 'CASE_ACTION', caseId: 'CASE-2026-0001', content: c.message, tenantId: TENANT });
    });
});

test('RAG_STATUS is stored and pushed', async () => {
  await pact
    .addAsynchronousInteraction()
    .given('a regulation document was ingested')
    .expectsToReceive('a RAG_STATUS notification', (b) =>
      b.withJSONContent({ ...base, category: 'RAG_STATUS', message: '학습 완료', rag_document_id: M.regex(ID, 'rag-doc-1'), chunks_added: M.integer(12) }),
    )
    .executeTest(async (m) => {
      expect(await ingest(m.contents.content, 'workbench:rag:status')).toMatchObject({ type: 'RAG_STATUS', content: '학습 완료' });
    });
});

test('AI_DETECT is stored and pushed', async () => {
  await pact
    .addAsynchronousInteraction()
    .given('an analysis run ended HIGH')
    .expectsToReceive('an AI_DETECT notification', (b) =>
      b.withJSONContent({ ...base, category: 'AI_DETECT', message: '신규 이상 징후 탐지', case_id: M.regex(ID, 'CASE-2026-0002'), score: M.decimal(0.91), severity: 'HIGH' }),
    )
    .executeTest(async (m) => {
      expect(await ingest(m.contents.content, 'workbench:alert')).toMatchObject({ type: 'AI_DETECT', caseId: 'CASE-2026-0002' });
    });
});
