import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { sql } from 'kysely';
import pino from 'pino';
import { BACKENDS, openTestBackend } from '../../../test/support/backends';
import { createTestDatabase, type TestDatabase } from '../../../test/support/pg';
import { type Database, openDatabase, redactUrl } from './database';
import { migrations } from './migrations';
import { docKey, type FiDocItem, toJson } from './schema';

const silent = pino({ level: 'silent' });

const TABLES = [
  'case_action_history',
  'cases',
  'fi_doc_header',
  'hitl_requests',
  'notifications',
  'sys_api_call_histories',
  'tenants',
  'users',
  'workbench_outbox_cursor',
];

/** Error code of a PostgreSQL error from either driver (pg's DatabaseError or PGlite's). */
async function pgErrorCode(p: Promise<unknown>): Promise<string | undefined> {
  try {
    await p;
  } catch (err) {
    return (err as { code?: string }).code;
  }
  throw new Error('expected the statement to fail');
}

describe.each(BACKENDS)('openDatabase on %s', (kind) => {
  let database: Database;
  let cleanup: (() => Promise<void>) | undefined;

  beforeAll(async () => {
    ({ database, cleanup } = await openTestBackend(kind, silent));
  });
  afterAll(async () => {
    await cleanup?.();
  });

  it('reports its kind and has run every migration', async () => {
    expect(database.kind).toBe(kind);
    const applied = await database.db
      .selectFrom('kysely_migration' as never)
      .select(sql<string>`name`.as('name'))
      .orderBy(sql`name`)
      .execute();
    expect(applied.map((r) => r.name)).toEqual(Object.keys(migrations).sort());

    const tables = await sql<{ table_name: string }>`
      SELECT table_name FROM information_schema.tables
      WHERE table_schema = 'public' AND table_name NOT LIKE 'kysely_%' ORDER BY table_name`.execute(database.db);
    expect(tables.rows.map((r) => r.table_name)).toEqual(TABLES);
  });

  it('returns the same JS types: Date, YYYY-MM-DD, decimal strings, numbers, parsed JSON', async () => {
    const { db } = database;
    await db.insertInto('tenants').values({ tenant_id: 'types-t', name: 'Types' }).execute();
    const items: FiDocItem[] = [
      {
        buzei: '001',
        koart: 'K',
        shkzg: 'H',
        hkont: '211000',
        wrbtr: '1234.50',
        lifnr: 'V1',
        kostl: null,
        mwskz: null,
        sgtxt: 'vendor line',
      },
    ];
    const changed = new Date('2026-02-07T09:30:00.123Z');
    await db
      .insertInto('fi_doc_header')
      .values({
        doc_key: docKey('1000', '5100000001', '2026'),
        tenant_id: 'types-t',
        bukrs: '1000',
        belnr: '5100000001',
        gjahr: '2026',
        doc_type: 'KR',
        last_change_ts: changed,
        vendor_id: 'V1',
        amount: '1234.50',
        currency: 'KRW',
        posting_date: '2026-02-07',
        document_date: '2026-02-06',
        reference: 'INV-1',
        items: toJson(items),
      })
      .execute();
    const doc = await db.selectFrom('fi_doc_header').selectAll().where('doc_key', '=', '1000-5100000001-2026').executeTakeFirstOrThrow();
    expect(doc.posting_date).toBe('2026-02-07');
    expect(doc.document_date).toBe('2026-02-06');
    expect(doc.amount).toBe('1234.50');
    expect(doc.last_change_ts).toBeInstanceOf(Date);
    expect(doc.last_change_ts.toISOString()).toBe(changed.toISOString());
    expect(doc.created_at).toBeInstanceOf(Date);
    expect(doc.status_code).toBe('OPEN');
    expect(doc.items).toEqual(items);

    await db
      .insertInto('cases')
      .values({
        case_id: 'CASE-T-1',
        tenant_id: 'types-t',
        bukrs: '1000',
        belnr: '5100000001',
        gjahr: '2026',
        buzei: '001',
        score: 0.875,
        amount: 1234.5,
        title: 'type check',
        evidence: toJson({ partyIds: ['V1'], document: { docKey: '1000-5100000001-2026' } }),
      })
      .execute();
    const c = await db.selectFrom('cases').selectAll().where('case_id', '=', 'CASE-T-1').executeTakeFirstOrThrow();
    expect(c.doc_key).toBe('1000-5100000001-2026'); // generated column
    expect(c.score).toBe(0.875);
    expect(c.amount).toBe('1234.50');
    expect(c.status).toBe('OPEN');
    expect(c.severity).toBeNull();
    expect(c.evidence).toEqual({ partyIds: ['V1'], document: { docKey: '1000-5100000001-2026' } });

    const n = await db
      .insertInto('notifications')
      .values({
        tenant_id: 'types-t',
        type: 'CASE_ACTION',
        title: 'Case action',
        content: '조치 승인됨',
        case_id: 'CASE-T-1',
        payload: toJson({ type: 'NOTIFICATION', category: 'CASE_ACTION', list: [1, 2] }),
        occurred_at: '2026-02-07T18:30:00+09:00',
      })
      .returning(['id', 'occurred_at', 'payload', 'content'])
      .executeTakeFirstOrThrow();
    expect(typeof n.id).toBe('number');
    expect(n.occurred_at.toISOString()).toBe('2026-02-07T09:30:00.000Z');
    expect(n.payload).toEqual({ type: 'NOTIFICATION', category: 'CASE_ACTION', list: [1, 2] });
    expect(n.content).toBe('조치 승인됨');

    const count = await db.selectFrom('notifications').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
    expect(count.n).toBe(1); // bigint count is a number on both drivers

    const call = await db
      .insertInto('sys_api_call_histories')
      .values({ method: 'GET', path: '/api/main/cases', status_code: 200, latency_ms: 12, response_size: 5_000_000_000 })
      .returningAll()
      .executeTakeFirstOrThrow();
    expect(call.tenant_id).toBeNull();
    expect(call.response_size).toBe(5_000_000_000);
    expect(call.request_size).toBeNull();
  });

  it('enforces the constraints the backend relies on', async () => {
    const { db } = database;
    await db.insertInto('tenants').values({ tenant_id: 'cons-t', name: 'Constraints' }).execute();

    const action = {
      tenant_id: 'cons-t',
      case_id: 'CASE-X',
      request_id: 'req-1',
      session_id: 'sess-1',
      action_type: 'APPROVE' as const,
      status_code: 'APPROVED' as const,
      executor_id: 'u1',
    };
    await db.insertInto('case_action_history').values(action).execute();
    // one row per HITL request: request_id is unique
    expect(await pgErrorCode(db.insertInto('case_action_history').values(action).execute())).toBe('23505');
    // ... and ON CONFLICT DO NOTHING makes a retried decision converge
    const retried = await db
      .insertInto('case_action_history')
      .values(action)
      .onConflict((oc) => oc.column('request_id').doNothing())
      .executeTakeFirst();
    expect(Number(retried.numInsertedOrUpdatedRows ?? 0n)).toBe(0);
    expect(
      await pgErrorCode(
        db
          .insertInto('case_action_history')
          .values({ ...action, request_id: 'req-2', action_type: 'MAYBE' as never })
          .execute(),
      ),
    ).toBe('23514');

    // identifiers follow the Identifier pattern of openapi.yaml; usernames are unique per tenant
    expect(await pgErrorCode(db.insertInto('tenants').values({ tenant_id: 'bad tenant*', name: 'x' }).execute())).toBe('23514');
    const user = { tenant_id: 'cons-t', username: 'alice', password_hash: 'x', role: 'APPROVER' as const, display_name: 'Alice' };
    await db.insertInto('users').values({ ...user, user_id: 'u-alice' }).execute();
    expect(await pgErrorCode(db.insertInto('users').values({ ...user, user_id: 'u-alice-2' }).execute())).toBe('23505');
    expect(await pgErrorCode(db.insertInto('users').values({ ...user, user_id: 'u-z', username: 'z', tenant_id: 'nope' }).execute())).toBe(
      '23503',
    );
    // statuses follow openapi.yaml's enums; scores are 0..1
    const caseRow = { case_id: 'CASE-C-1', tenant_id: 'cons-t', bukrs: '1000', belnr: '1', gjahr: '2026', title: 't' };
    expect(await pgErrorCode(db.insertInto('cases').values({ ...caseRow, status: 'DONE' as never }).execute())).toBe('23514');
    expect(await pgErrorCode(db.insertInto('cases').values({ ...caseRow, score: 1.5 }).execute())).toBe('23514');
    expect(await pgErrorCode(db.insertInto('cases').values({ ...caseRow, severity: 'CRITICAL' as never }).execute())).toBe('23514');
    // doc_key must match its parts
    expect(
      await pgErrorCode(
        db
          .insertInto('fi_doc_header')
          .values({
            doc_key: '1000-1-2025',
            tenant_id: 'cons-t',
            bukrs: '1000',
            belnr: '1',
            gjahr: '2026',
            amount: 1,
            currency: 'KRW',
            posting_date: '2026-01-01',
            document_date: '2026-01-01',
          })
          .execute(),
      ),
    ).toBe('23514');
  });

  it('rolls back a failed transaction completely', async () => {
    const { db } = database;
    await expect(
      db.transaction().execute(async (trx) => {
        await trx.insertInto('tenants').values({ tenant_id: 'tx-t', name: 'Tx' }).execute();
        throw new Error('boom');
      }),
    ).rejects.toThrow('boom');
    expect(await db.selectFrom('tenants').select('tenant_id').where('tenant_id', '=', 'tx-t').executeTakeFirst()).toBeUndefined();
  });
});

describe('openDatabase: PostgreSQL', () => {
  let tdb: TestDatabase;
  beforeAll(async () => {
    tdb = await createTestDatabase();
  });
  afterAll(async () => {
    await tdb.drop();
  });

  it('migrates once when several processes open the same database at the same time', async () => {
    const opened = await Promise.all([1, 2, 3].map(() => openDatabase({ databaseUrl: tdb.url })));
    try {
      const rows = await sql<{ n: number }>`SELECT count(*)::int AS n FROM kysely_migration`.execute(opened[0]!.db);
      expect(rows.rows[0]?.n).toBe(Object.keys(migrations).length);
    } finally {
      await Promise.all(opened.map((d) => d.close()));
    }
    const again = await openDatabase({ databaseUrl: tdb.url });
    await again.close();
    await again.close(); // idempotent
  });

  it('fails with a clear message (password redacted) when the server is unreachable', async () => {
    await expect(openDatabase({ databaseUrl: 'postgres://postgres:s3cret@127.0.0.1:1/nope' })).rejects.toThrow(
      /cannot open the postgres database at postgres:\/\/postgres:\*\*\*@127\.0\.0\.1:1\/nope: .*ECONNREFUSED/,
    );
    expect(redactUrl('postgres://u:p@h/db')).toBe('postgres://u:***@h/db');
  });
});

describe('openDatabase: PGlite data folder', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'dwp-pglite-'));
  });
  afterAll(() => {
    rmSync(dir, { recursive: true, force: true });
  });

  it('persists data across restarts and does not re-run migrations', async () => {
    const dataDir = path.join(dir, 'nested', 'pglite'); // created when missing
    const first = await openDatabase({ dataDir });
    expect(first.kind).toBe('pglite');
    expect(first.location).toBe(dataDir);
    await first.db.insertInto('tenants').values({ tenant_id: 'persist', name: 'Persisted' }).execute();
    await first.close();

    const applied: string[][] = [];
    const logger = {
      info: (obj: object) => {
        const o = obj as { migrationsApplied?: string[] };
        if (o.migrationsApplied) applied.push(o.migrationsApplied);
      },
      warn: () => undefined,
      error: () => undefined,
    };
    const second = await openDatabase({ dataDir, logger });
    try {
      expect(applied).toEqual([[]]);
      const t = await second.db.selectFrom('tenants').selectAll().where('tenant_id', '=', 'persist').executeTakeFirst();
      expect(t?.name).toBe('Persisted');
    } finally {
      await second.close();
    }
  });
});

describe('schema is identical on PostgreSQL and PGlite', () => {
  async function describeSchema(database: Database): Promise<unknown> {
    const columns = await sql`
      SELECT table_name, column_name, data_type, is_nullable, column_default, is_generated, generation_expression,
             numeric_precision, numeric_scale
      FROM information_schema.columns WHERE table_schema = 'public'
      ORDER BY table_name, column_name`.execute(database.db);
    const indexes = await sql`
      SELECT tablename, indexname, indexdef FROM pg_indexes WHERE schemaname = 'public'
      ORDER BY tablename, indexname`.execute(database.db);
    const constraints = await sql`
      SELECT conrelid::regclass::text AS table_name, conname, contype, pg_get_constraintdef(oid) AS def
      FROM pg_constraint WHERE connamespace = 'public'::regnamespace
      ORDER BY 1, 2`.execute(database.db);
    return { columns: columns.rows, indexes: indexes.rows, constraints: constraints.rows };
  }

  it('has the same columns, indexes and constraints', async () => {
    const opened: Awaited<ReturnType<typeof openTestBackend>>[] = [];
    try {
      opened.push(await openTestBackend('postgres'));
      opened.push(await openTestBackend('pglite'));
      const [onPg, onLite] = await Promise.all(opened.map((b) => describeSchema(b.database)));
      expect(onLite).toEqual(onPg);
      expect((onPg as { indexes: unknown[] }).indexes.length).toBeGreaterThan(8);
    } finally {
      for (const b of opened) await b.cleanup();
    }
  });
});
