import bcrypt from 'bcryptjs';
import { BACKENDS, openTestBackend } from '../../../test/support/backends';
import type { Database } from './database';
import type { FiDocItem, JsonObject } from './schema';
import { DEMO_BCRYPT_COST, DEMO_CREDENTIALS, DEMO_TENANT, DEMO_USERS, demoCredentialsText, seedDemo } from './seed';

const ID = /^[A-Za-z0-9._:-]{1,128}$/;

describe('demo credentials', () => {
  it('are exported for the start-up banner', () => {
    expect(DEMO_TENANT).toEqual({ tenantId: 'acme', name: 'ACME Corp' });
    expect(DEMO_CREDENTIALS).toEqual([
      { tenantId: 'acme', username: 'approver', password: 'approver-pass', role: 'APPROVER' },
      { tenantId: 'acme', username: 'requester', password: 'requester-pass', role: 'REQUESTER' },
      { tenantId: 'acme', username: 'admin', password: 'admin-pass', role: 'ADMIN' },
    ]);
    expect(demoCredentialsText()).toContain('username=approver  password=approver-pass');
    for (const u of DEMO_USERS) expect(u.userId).toMatch(ID);
  });
});

describe.each(BACKENDS)('seedDemo on %s', (kind) => {
  let database: Database;
  let cleanup: (() => Promise<void>) | undefined;

  beforeAll(async () => {
    ({ database, cleanup } = await openTestBackend(kind));
  });
  afterAll(async () => {
    await cleanup?.();
  });

  it('seeds the tenant, three users, six documents and five cases, then is idempotent', async () => {
    const { db } = database;
    expect(await seedDemo(db)).toEqual({ tenantCreated: true, usersCreated: 3, documentsCreated: 6, casesCreated: 5 });
    const hashesBefore = await db.selectFrom('users').select(['user_id', 'password_hash']).orderBy('user_id').execute();

    // decisions taken on demo data survive a restart
    await db.updateTable('cases').set({ status: 'APPROVED' }).where('case_id', '=', 'CASE-2026-0001').execute();
    await db.updateTable('fi_doc_header').set({ status_code: 'APPROVED' }).where('doc_key', '=', '1000-5100000187-2026').execute();

    expect(await seedDemo(db)).toEqual({ tenantCreated: false, usersCreated: 0, documentsCreated: 0, casesCreated: 0 });
    expect(await db.selectFrom('users').select(['user_id', 'password_hash']).orderBy('user_id').execute()).toEqual(hashesBefore);
    expect((await db.selectFrom('cases').select('status').where('case_id', '=', 'CASE-2026-0001').executeTakeFirstOrThrow()).status).toBe(
      'APPROVED',
    );
    expect(
      (await db.selectFrom('fi_doc_header').select('status_code').where('doc_key', '=', '1000-5100000187-2026').executeTakeFirstOrThrow())
        .status_code,
    ).toBe('APPROVED');
    expect(await db.selectFrom('tenants').selectAll().execute()).toHaveLength(1);
  });

  it('stores the demo passwords as bcrypt hashes of cost 10', async () => {
    const users = await database.db.selectFrom('users').selectAll().where('tenant_id', '=', 'acme').orderBy('username').execute();
    expect(users.map((u) => [u.username, u.role])).toEqual([
      ['admin', 'ADMIN'],
      ['approver', 'APPROVER'],
      ['requester', 'REQUESTER'],
    ]);
    for (const u of users) {
      const demo = DEMO_USERS.find((d) => d.username === u.username)!;
      expect(u.password_hash).not.toContain(demo.password);
      expect(bcrypt.getRounds(u.password_hash)).toBe(DEMO_BCRYPT_COST);
      expect(await bcrypt.compare(demo.password, u.password_hash)).toBe(true);
      expect(await bcrypt.compare('wrong', u.password_hash)).toBe(false);
    }
  });

  it('is a realistic data set: duplicate invoice, over-limit, weekend posting, three vendors', async () => {
    const { db } = database;
    const cases = await db.selectFrom('cases').selectAll().where('tenant_id', '=', 'acme').orderBy('case_id').execute();
    const docs = await db.selectFrom('fi_doc_header').selectAll().where('tenant_id', '=', 'acme').execute();
    expect(cases).toHaveLength(5);
    expect(new Set(cases.map((c) => c.vendor_id)).size).toBe(3);

    for (const c of cases) {
      expect(c.case_id).toMatch(ID);
      expect(c.bukrs).toBe('1000');
      expect(c.gjahr).toBe('2026');
      expect(c.belnr).toMatch(/^51\d{8}$/);
      expect(c.buzei).toBe('001');
      expect(c.doc_key).toBe(`1000-${c.belnr}-2026`);
      if (c.score !== null) expect(c.score).toBeGreaterThanOrEqual(0);
      if (c.score !== null) expect(c.score).toBeLessThanOrEqual(1);

      // the evidence is shaped like the analysis-run request's evidence
      const ev = c.evidence as JsonObject;
      expect(Object.keys(ev).sort()).toEqual(
        ['document', 'doc_id', 'evidence', 'item_id', 'lineage', 'openItems', 'partyIds', 'policies', 'ragRefs'].sort(),
      );
      const document = ev.document as { docKey: string; header: JsonObject; items: FiDocItem[] };
      expect(document.docKey).toBe(c.doc_key);
      expect(ev.doc_id).toBe(c.belnr);
      expect(ev.item_id).toBe(c.buzei);
      expect(ev.partyIds).toEqual([c.vendor_id]);
      expect((ev.policies as JsonObject[]).length).toBeGreaterThan(0);
      expect((ev.evidence as JsonObject[]).length).toBeGreaterThan(0);
      expect(document.header.belnr).toBe(c.belnr);

      // ... and matches its accounting document, whose lines balance
      const doc = docs.find((d) => d.doc_key === c.doc_key);
      expect(doc).toBeDefined();
      expect(doc!.amount).toBe(c.amount);
      expect(document.items).toEqual(doc!.items);
      const sum = (side: 'S' | 'H') =>
        doc!.items.filter((i) => i.shkzg === side).reduce((acc, i) => acc + Number(i.wrbtr), 0);
      expect(sum('S')).toBe(sum('H'));
      expect(sum('H')).toBe(Number(doc!.amount));
      expect(doc!.items.find((i) => i.buzei === c.buzei)?.lifnr).toBe(c.vendor_id);
    }

    // a duplicate invoice: same vendor, same amount, same reference on two documents
    const dup = cases.find((c) => (c.evidence.evidence as JsonObject[])[0]?.type === 'DUPLICATE_INVOICE')!;
    const dupDoc = docs.find((d) => d.doc_key === dup.doc_key)!;
    const twins = docs.filter(
      (d) => d.vendor_id === dupDoc.vendor_id && d.amount === dupDoc.amount && d.reference === dupDoc.reference,
    );
    expect(twins.map((d) => d.belnr).sort()).toEqual(['5100000123', '5100000187']);

    // one over the KRW 100,000,000 policy threshold
    expect(cases.filter((c) => Number(c.amount) > 100_000_000).map((c) => c.case_id)).toEqual(['CASE-2026-0002']);

    // one posted on a weekend
    const weekend = docs.filter((d) => [0, 6].includes(new Date(`${d.posting_date}T00:00:00Z`).getUTCDay()));
    expect(weekend.map((d) => d.belnr)).toEqual(['5100000342']);
    expect(cases.some((c) => c.doc_key === weekend[0]!.doc_key)).toBe(true);
  });
});
