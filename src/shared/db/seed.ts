import bcrypt from 'bcryptjs';
import type { Kysely } from 'kysely';
import {
  type CaseStatus,
  type DB,
  docKey,
  type DocumentStatusCode,
  type FiDocItem,
  type JsonObject,
  type Role,
  type Severity,
  toJson,
} from './schema';

/**
 * Demo data for `npm start` on a fresh machine: tenant `acme` with an approver, a requester and an admin,
 * and five finance cases over three vendors (company code 1000, fiscal year 2026, KRW):
 *
 * | case           | document   | vendor  | what is odd                                            |
 * |----------------|------------|---------|--------------------------------------------------------|
 * | CASE-2026-0001 | 5100000187 | V100234 | duplicate of 5100000123: same vendor, amount, reference |
 * | CASE-2026-0002 | 5100000311 | V200415 | KRW 128.7 M, over the KRW 100 M single-approval limit  |
 * | CASE-2026-0003 | 5100000342 | V100871 | posted on Saturday 2026-02-07                          |
 * | CASE-2026-0004 | 5100000398 | V100871 | KRW 9.99 M, just under the KRW 10 M approval tier      |
 * | CASE-2026-0005 | 5100000405 | V200415 | vendor bank account changed two days before posting    |
 *
 * Idempotent: rows that already exist are left as they are (decisions taken on a demo case
 * survive a restart), and passwords are hashed only for users that are missing.
 */

export const DEMO_TENANT = { tenantId: 'acme', name: 'ACME Corp' } as const;

export interface DemoUser {
  userId: string;
  username: string;
  password: string;
  role: Role;
  displayName: string;
}

export const DEMO_USERS: readonly DemoUser[] = Object.freeze([
  { userId: 'acme-approver', username: 'approver', password: 'approver-pass', role: 'APPROVER', displayName: 'Alex Approver' },
  { userId: 'acme-requester', username: 'requester', password: 'requester-pass', role: 'REQUESTER', displayName: 'Riley Requester' },
  // A second person who may decide: with four-eyes, the approver's own runs need someone else.
  { userId: 'acme-admin', username: 'admin', password: 'admin-pass', role: 'ADMIN', displayName: 'Ada Admin' },
]);

/** What start-up prints in development: the login body for each demo user. */
export const DEMO_CREDENTIALS: readonly { tenantId: string; username: string; password: string; role: Role }[] = Object.freeze(
  DEMO_USERS.map((u) => ({ tenantId: DEMO_TENANT.tenantId, username: u.username, password: u.password, role: u.role })),
);

/** Human-readable lines for the start-up banner. */
export function demoCredentialsText(): string {
  return DEMO_CREDENTIALS.map(
    (c) => `  tenantId=${c.tenantId}  username=${c.username}  password=${c.password}  (${c.role})`,
  ).join('\n');
}

export const DEMO_BCRYPT_COST = 10;

const BUKRS = '1000';
const GJAHR = '2026';
const CURRENCY = 'KRW';

/** SAP-style reconciliation / expense / tax accounts used by the demo documents. */
const ACCOUNTS = {
  payables: '211000',
  inputVat: '135100',
  officeSupplies: '520100',
  freight: '531200',
  cloudServices: '541300',
} as const;

interface DemoVendor {
  vendorId: string;
  name: string;
  taxId: string;
  bankAccount: string;
  expenseAccount: string;
  costCenter: string;
}

const VENDORS: Record<string, DemoVendor> = {
  V100234: {
    vendorId: 'V100234',
    name: 'Hanbit Office Supplies Co., Ltd.',
    taxId: '214-86-12345',
    bankAccount: 'KB 123-456-789012',
    expenseAccount: ACCOUNTS.officeSupplies,
    costCenter: '1000-ADM',
  },
  V100871: {
    vendorId: 'V100871',
    name: 'Daesung Logistics Co., Ltd.',
    taxId: '301-81-55120',
    bankAccount: 'Shinhan 110-234-567890',
    expenseAccount: ACCOUNTS.freight,
    costCenter: '1000-LOG',
  },
  V200415: {
    vendorId: 'V200415',
    name: 'Nuri Cloud Services Inc.',
    taxId: '120-88-90411',
    bankAccount: 'Woori 1002-345-678901',
    expenseAccount: ACCOUNTS.cloudServices,
    costCenter: '1000-IT',
  },
};

interface DemoDocument {
  belnr: string;
  vendorId: string;
  /** Gross amount in KRW (VAT included). */
  gross: number;
  reference: string;
  postingDate: string;
  documentDate: string;
  enteredBy: string;
  headerText: string;
  statusCode: DocumentStatusCode;
  lastChange: string;
}

const DOCUMENTS: Record<string, DemoDocument> = {
  // The original invoice: already posted and open for payment; 5100000187 repeats it.
  '5100000123': {
    belnr: '5100000123',
    vendorId: 'V100234',
    gross: 4_850_000,
    reference: 'HB-INV-2026-0114',
    postingDate: '2026-01-14',
    documentDate: '2026-01-12',
    enteredBy: 'SLEE',
    headerText: 'Office supplies January',
    statusCode: 'OPEN',
    lastChange: '2026-01-14T01:12:09Z',
  },
  '5100000187': {
    belnr: '5100000187',
    vendorId: 'V100234',
    gross: 4_850_000,
    reference: 'HB-INV-2026-0114',
    postingDate: '2026-01-21',
    documentDate: '2026-01-12',
    enteredBy: 'MPARK',
    headerText: 'Office supplies Jan (resent)',
    statusCode: 'PENDING_APPROVAL',
    lastChange: '2026-01-21T06:40:51Z',
  },
  '5100000311': {
    belnr: '5100000311',
    vendorId: 'V200415',
    gross: 128_700_000,
    reference: 'NCS-2026-00087',
    postingDate: '2026-02-03',
    documentDate: '2026-02-02',
    enteredBy: 'SLEE',
    headerText: 'Cloud platform annual subscription',
    statusCode: 'PENDING_APPROVAL',
    lastChange: '2026-02-03T02:05:33Z',
  },
  '5100000342': {
    belnr: '5100000342',
    vendorId: 'V100871',
    gross: 2_310_000,
    reference: 'DS-FR-260207',
    postingDate: '2026-02-07',
    documentDate: '2026-02-07',
    enteredBy: 'JKIM',
    headerText: 'Freight Busan-Incheon',
    statusCode: 'PENDING_APPROVAL',
    lastChange: '2026-02-07T13:22:10Z',
  },
  '5100000398': {
    belnr: '5100000398',
    vendorId: 'V100871',
    gross: 9_990_000,
    reference: 'DS-FR-260212',
    postingDate: '2026-02-12',
    documentDate: '2026-02-11',
    enteredBy: 'JKIM',
    headerText: 'Freight February batch 2',
    statusCode: 'OPEN',
    lastChange: '2026-02-12T04:48:27Z',
  },
  '5100000405': {
    belnr: '5100000405',
    vendorId: 'V200415',
    gross: 36_300_000,
    reference: 'NCS-2026-00102',
    postingDate: '2026-02-16',
    documentDate: '2026-02-16',
    enteredBy: 'MPARK',
    headerText: 'Cloud migration services phase 1',
    statusCode: 'PENDING_APPROVAL',
    lastChange: '2026-02-16T00:31:45Z',
  },
};

function won(n: number): string {
  return n.toFixed(2);
}

/** Vendor credit line 001, expense debit 002, 10 % input VAT debit 003 (Korean VAT, code V1). */
function documentItems(doc: DemoDocument): FiDocItem[] {
  const vendor = VENDORS[doc.vendorId]!;
  const net = Math.round(doc.gross / 1.1);
  const vat = doc.gross - net;
  return [
    {
      buzei: '001',
      koart: 'K',
      shkzg: 'H',
      hkont: ACCOUNTS.payables,
      wrbtr: won(doc.gross),
      lifnr: vendor.vendorId,
      kostl: null,
      mwskz: 'V1',
      sgtxt: `${vendor.name} ${doc.reference}`,
    },
    {
      buzei: '002',
      koart: 'S',
      shkzg: 'S',
      hkont: vendor.expenseAccount,
      wrbtr: won(net),
      lifnr: null,
      kostl: vendor.costCenter,
      mwskz: 'V1',
      sgtxt: doc.headerText,
    },
    {
      buzei: '003',
      koart: 'S',
      shkzg: 'S',
      hkont: ACCOUNTS.inputVat,
      wrbtr: won(vat),
      lifnr: null,
      kostl: null,
      mwskz: 'V1',
      sgtxt: 'Input VAT 10%',
    },
  ];
}

function documentHeader(doc: DemoDocument): JsonObject {
  return {
    bukrs: BUKRS,
    belnr: doc.belnr,
    gjahr: GJAHR,
    blart: 'KR',
    budat: doc.postingDate,
    bldat: doc.documentDate,
    xblnr: doc.reference,
    lifnr: doc.vendorId,
    vendorName: VENDORS[doc.vendorId]!.name,
    wrbtr: won(doc.gross),
    waers: CURRENCY,
    usnam: doc.enteredBy,
    bktxt: doc.headerText,
  };
}

function openItem(doc: DemoDocument): JsonObject {
  return {
    docKey: docKey(BUKRS, doc.belnr, GJAHR),
    belnr: doc.belnr,
    buzei: '001',
    lifnr: doc.vendorId,
    xblnr: doc.reference,
    wrbtr: won(doc.gross),
    waers: CURRENCY,
    budat: doc.postingDate,
    // 30 days net
    dueDate: new Date(Date.parse(`${doc.postingDate}T00:00:00Z`) + 30 * 86_400_000).toISOString().slice(0, 10),
  };
}

function openItemsOf(vendorId: string): JsonObject[] {
  return Object.values(DOCUMENTS)
    .filter((d) => d.vendorId === vendorId)
    .map(openItem);
}

const POLICIES = {
  duplicate: {
    policyId: 'AP-DUP-001',
    title: 'Duplicate invoice check',
    rule: 'Block payment when vendor, gross amount and invoice reference (XBLNR) match a posted document within 90 days.',
    article: '제3조',
  },
  approvalLimit: {
    policyId: 'AP-LIM-002',
    title: 'Approval limits for vendor invoices',
    rule: 'Invoices above KRW 100,000,000 need a second approver; invoices of KRW 10,000,000 or more need department-head approval.',
    article: '제5조',
    thresholds: { dualApprovalKrw: 100_000_000, departmentHeadKrw: 10_000_000 },
  },
  postingCalendar: {
    policyId: 'AP-CAL-003',
    title: 'Posting calendar',
    rule: 'Postings on weekends and public holidays need a documented reason from the poster.',
    article: '제7조',
  },
  vendorMasterChange: {
    policyId: 'AP-VMD-004',
    title: 'Vendor master data changes',
    rule: 'A bank account change must be confirmed by call-back before the first payment to the new account.',
    article: '제9조',
  },
} satisfies Record<string, JsonObject>;

function ragRef(policy: JsonObject): JsonObject {
  return {
    source: 'AP_POLICY_HANDBOOK_2026',
    policyId: policy.policyId!,
    article: policy.article!,
    title: policy.title!,
  };
}

interface DemoCase {
  caseId: string;
  belnr: string;
  buzei: string;
  status: CaseStatus;
  severity: Severity | null;
  score: number | null;
  title: string;
  findings: JsonObject[];
  policies: JsonObject[];
  createdAt: string;
}

const CASES: DemoCase[] = [
  {
    caseId: 'CASE-2026-0001',
    belnr: '5100000187',
    buzei: '001',
    status: 'OPEN',
    severity: 'HIGH',
    score: 0.92,
    title: 'Possible duplicate invoice HB-INV-2026-0114 from Hanbit Office Supplies',
    findings: [
      {
        type: 'DUPLICATE_INVOICE',
        description: 'Same vendor, gross amount and reference as document 5100000123 posted on 2026-01-14.',
        matchedDocKey: docKey(BUKRS, '5100000123', GJAHR),
        matchedFields: ['lifnr', 'wrbtr', 'xblnr'],
        daysApart: 7,
      },
    ],
    policies: [POLICIES.duplicate],
    createdAt: '2026-01-21T07:05:00Z',
  },
  {
    caseId: 'CASE-2026-0002',
    belnr: '5100000311',
    buzei: '001',
    status: 'OPEN',
    severity: 'MEDIUM',
    score: 0.64,
    title: 'Invoice of KRW 128,700,000 above the single-approval limit (Nuri Cloud Services)',
    findings: [
      {
        type: 'APPROVAL_LIMIT_EXCEEDED',
        description: 'Gross amount KRW 128,700,000 exceeds the KRW 100,000,000 single-approval limit; no second approver recorded.',
        limitKrw: 100_000_000,
        amountKrw: 128_700_000,
      },
    ],
    policies: [POLICIES.approvalLimit],
    createdAt: '2026-02-03T02:30:00Z',
  },
  {
    caseId: 'CASE-2026-0003',
    belnr: '5100000342',
    buzei: '001',
    status: 'OPEN',
    severity: 'MEDIUM',
    score: 0.55,
    title: 'Freight invoice posted on a Saturday (Daesung Logistics)',
    findings: [
      {
        type: 'WEEKEND_POSTING',
        description: 'Posting date 2026-02-07 is a Saturday; entered by JKIM at 22:22 KST without a documented reason.',
        postingDate: '2026-02-07',
        weekday: 'SATURDAY',
      },
    ],
    policies: [POLICIES.postingCalendar],
    createdAt: '2026-02-09T00:15:00Z',
  },
  {
    caseId: 'CASE-2026-0004',
    belnr: '5100000398',
    buzei: '001',
    status: 'OPEN',
    severity: null,
    score: null,
    title: 'Round-amount invoice just under the KRW 10,000,000 approval tier (Daesung Logistics)',
    findings: [
      {
        type: 'THRESHOLD_PROXIMITY',
        description: 'Gross amount KRW 9,990,000 is 0.1 % below the department-head approval tier.',
        thresholdKrw: 10_000_000,
        amountKrw: 9_990_000,
      },
    ],
    policies: [POLICIES.approvalLimit],
    createdAt: '2026-02-12T05:10:00Z',
  },
  {
    caseId: 'CASE-2026-0005',
    belnr: '5100000405',
    buzei: '001',
    status: 'OPEN',
    severity: 'MEDIUM',
    score: 0.58,
    title: 'Vendor bank account changed two days before the invoice (Nuri Cloud Services)',
    findings: [
      {
        type: 'VENDOR_BANK_CHANGE',
        description: 'Bank account of V200415 changed on 2026-02-14; no call-back confirmation on file.',
        changedAt: '2026-02-14T08:12:00Z',
        previousAccount: 'Woori 1002-345-678901',
        newAccount: 'IBK 010-9876-5432',
      },
    ],
    policies: [POLICIES.vendorMasterChange],
    createdAt: '2026-02-16T01:00:00Z',
  },
];

/**
 * The case's evidence, shaped like the analysis-run request's `evidence`
 * (evidence[], ragRefs[], document{header, items[], docKey}, openItems[], partyIds[], lineage,
 * policies[], doc_id, item_id).
 */
function caseEvidence(c: DemoCase): JsonObject {
  const doc = DOCUMENTS[c.belnr]!;
  const key = docKey(BUKRS, doc.belnr, GJAHR);
  return {
    evidence: c.findings,
    ragRefs: c.policies.map(ragRef),
    document: { docKey: key, header: documentHeader(doc), items: documentItems(doc) },
    openItems: openItemsOf(doc.vendorId),
    partyIds: [doc.vendorId],
    lineage: {
      source: 'SAP_FI',
      system: 'S4P/100',
      tables: ['BKPF', 'BSEG', 'LFA1'],
      extractedAt: c.createdAt,
    },
    policies: c.policies,
    doc_id: doc.belnr,
    item_id: c.buzei,
  };
}

export interface SeedResult {
  tenantCreated: boolean;
  usersCreated: number;
  documentsCreated: number;
  casesCreated: number;
}

function inserted(r: { numInsertedOrUpdatedRows?: bigint }): number {
  return Number(r.numInsertedOrUpdatedRows ?? 0n);
}

/** Seeds the demo tenant, users, documents and cases; safe to run on every start. */
export async function seedDemo(db: Kysely<DB>): Promise<SeedResult> {
  const { tenantId } = DEMO_TENANT;

  // Hash outside the transaction (bcrypt is slow) and only for users that are missing.
  const existing = await db.selectFrom('users').select('username').where('tenant_id', '=', tenantId).execute();
  const have = new Set(existing.map((u) => u.username));
  const missing = await Promise.all(
    DEMO_USERS.filter((u) => !have.has(u.username)).map(async (u) => ({
      user_id: u.userId,
      tenant_id: tenantId,
      username: u.username,
      password_hash: await bcrypt.hash(u.password, DEMO_BCRYPT_COST),
      role: u.role,
      display_name: u.displayName,
    })),
  );

  return db.transaction().execute(async (trx) => {
    const tenant = await trx
      .insertInto('tenants')
      .values({ tenant_id: tenantId, name: DEMO_TENANT.name })
      .onConflict((oc) => oc.column('tenant_id').doNothing())
      .executeTakeFirst();

    let usersCreated = 0;
    if (missing.length > 0) {
      // (tenant_id, username) and user_id are both unique; ON CONFLICT without a target covers both
      usersCreated = inserted(await trx.insertInto('users').values(missing).onConflict((oc) => oc.doNothing()).executeTakeFirst());
    }

    const documents = await trx
      .insertInto('fi_doc_header')
      .values(
        Object.values(DOCUMENTS).map((d) => ({
          doc_key: docKey(BUKRS, d.belnr, GJAHR),
          tenant_id: tenantId,
          bukrs: BUKRS,
          belnr: d.belnr,
          gjahr: GJAHR,
          doc_type: 'KR',
          status_code: d.statusCode,
          last_change_ts: d.lastChange,
          vendor_id: d.vendorId,
          amount: won(d.gross),
          currency: CURRENCY,
          posting_date: d.postingDate,
          document_date: d.documentDate,
          reference: d.reference,
          header_text: d.headerText,
          entered_by: d.enteredBy,
          items: toJson(documentItems(d)),
          created_at: d.lastChange,
        })),
      )
      .onConflict((oc) => oc.column('doc_key').doNothing())
      .executeTakeFirst();

    const cases = await trx
      .insertInto('cases')
      .values(
        CASES.map((c) => {
          const doc = DOCUMENTS[c.belnr]!;
          return {
            case_id: c.caseId,
            tenant_id: tenantId,
            status: c.status,
            severity: c.severity,
            score: c.score,
            bukrs: BUKRS,
            belnr: c.belnr,
            gjahr: GJAHR,
            buzei: c.buzei,
            vendor_id: doc.vendorId,
            amount: won(doc.gross),
            currency: CURRENCY,
            title: c.title,
            evidence: toJson(caseEvidence(c)),
            created_at: c.createdAt,
            updated_at: c.createdAt,
          };
        }),
      )
      .onConflict((oc) => oc.column('case_id').doNothing())
      .executeTakeFirst();

    return {
      tenantCreated: inserted(tenant) > 0,
      usersCreated,
      documentsCreated: inserted(documents),
      casesCreated: inserted(cases),
    };
  });
}
