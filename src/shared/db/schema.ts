import type { ColumnType, Generated, GeneratedAlways, Insertable, Selectable, Updateable } from 'kysely';

/**
 * Kysely types of the backend's database (created by `migrations/0001_init.ts`).
 *
 * Value types are the same on PostgreSQL (pg) and PGlite because `database.ts` installs the same
 * type parsers on both:
 * - `timestamptz` → `Date` (write a `Date` or an ISO string with offset);
 * - `date` → `'YYYY-MM-DD'` string (never a `Date`, so no time-zone shift);
 * - `numeric` (money) → decimal string, exact (write a string or a number);
 * - `bigint`/`bigserial` → `number` (ids and byte counts stay far below 2^53);
 * - `double precision`/`integer` → `number`;
 * - `jsonb` → parsed JSON on read; on write pass `toJson(value)` (a JSON string): pg would turn a
 *   JS array into a PostgreSQL array literal, so objects are never passed raw.
 */

export type JsonPrimitive = string | number | boolean | null;
export type JsonValue = JsonPrimitive | JsonValue[] | { [key: string]: JsonValue };
export type JsonObject = { [key: string]: JsonValue };

/** `timestamptz NOT NULL DEFAULT now()`. */
export type CreatedAt = ColumnType<Date, Date | string | undefined, Date | string>;
/** `timestamptz NOT NULL` without a default. */
export type Timestamp = ColumnType<Date, Date | string, Date | string>;
/** `timestamptz` nullable. */
export type NullableTimestamp = ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;
/** `numeric(18,2)`: read as an exact decimal string. */
export type Money = ColumnType<string, string | number, string | number>;
/** `date`: `'YYYY-MM-DD'`. */
export type DateOnly = ColumnType<string, string, string>;
/** `jsonb NOT NULL`: read parsed, written as a JSON string (see `toJson`). */
export type Json<T extends JsonValue = JsonValue> = ColumnType<T, string, string>;
/** `jsonb NOT NULL DEFAULT ...`. */
export type JsonWithDefault<T extends JsonValue = JsonValue> = ColumnType<T, string | undefined, string>;

/** Serialises a value for a `jsonb` column (use it for every jsonb write). */
export function toJson(value: JsonValue | object): string {
  return JSON.stringify(value);
}

export type Role = 'APPROVER' | 'REQUESTER' | 'ADMIN';
export type Severity = 'LOW' | 'MEDIUM' | 'HIGH';
/** openapi.yaml `CaseStatus`. */
export type CaseStatus = 'OPEN' | 'IN_REVIEW' | 'APPROVED' | 'REJECTED' | 'HOLD' | 'CLOSED';
/** openapi.yaml `DocumentStatusCode`. */
export type DocumentStatusCode = 'OPEN' | 'PENDING_APPROVAL' | 'APPROVED' | 'REJECTED' | 'HOLD' | 'BLOCKED';
export type ActionType = 'APPROVE' | 'REJECT' | 'TIMEOUT';
export type ActionStatusCode = 'APPROVED' | 'REJECTED' | 'HOLD';

export interface TenantsTable {
  tenant_id: string;
  name: string;
  /** The four-eyes rule on HITL decisions (default on). */
  four_eyes: ColumnType<boolean, boolean | undefined, boolean>;
  created_at: CreatedAt;
}

export interface UsersTable {
  user_id: string;
  tenant_id: string;
  username: string;
  /** bcrypt hash. */
  password_hash: string;
  role: Role;
  display_name: string;
  created_at: CreatedAt;
}

export interface CasesTable {
  case_id: string;
  tenant_id: string;
  status: ColumnType<CaseStatus, CaseStatus | undefined, CaseStatus>;
  severity: Severity | null;
  /** 0..1 */
  score: number | null;
  bukrs: string;
  belnr: string;
  gjahr: string;
  /** Stored generated column `bukrs-belnr-gjahr` (joins to `fi_doc_header.doc_key`). */
  doc_key: GeneratedAlways<string>;
  buzei: string | null;
  vendor_id: string | null;
  amount: ColumnType<string | null, string | number | null | undefined, string | number | null>;
  currency: string | null;
  title: string;
  /** Shaped like the analysis-run request's `evidence` (document{header, items[], docKey}, ...). */
  evidence: JsonWithDefault<JsonObject>;
  last_run_id: string | null;
  last_run_applied_at: Date | null;
  created_at: CreatedAt;
  updated_at: CreatedAt;
}

/**
 * One line item of an accounting document (BSEG-like, SAP field names as in the evidence the
 * analysis receives), kept in `fi_doc_header.items`.
 */
export interface FiDocItem extends JsonObject {
  /** Line item number, '001'... */
  buzei: string;
  /** Account type: K vendor, S G/L account, D customer. */
  koart: string;
  /** S debit, H credit. */
  shkzg: 'S' | 'H';
  /** G/L account. */
  hkont: string;
  /** Amount in document currency, decimal string. */
  wrbtr: string;
  /** Vendor (on vendor lines). */
  lifnr: string | null;
  /** Cost center (on expense lines). */
  kostl: string | null;
  /** Tax code (V1 = 10 % input VAT). */
  mwskz: string | null;
  /** Line text. */
  sgtxt: string;
}

export interface FiDocHeaderTable {
  /** `${bukrs}-${belnr}-${gjahr}` (see `docKey`). */
  doc_key: string;
  tenant_id: string;
  bukrs: string;
  belnr: string;
  gjahr: string;
  /** Document type (BLART), e.g. KR vendor invoice. */
  doc_type: ColumnType<string, string | undefined, string>;
  status_code: ColumnType<DocumentStatusCode, DocumentStatusCode | undefined, DocumentStatusCode>;
  last_change_ts: CreatedAt;
  vendor_id: string | null;
  amount: Money;
  currency: string;
  posting_date: DateOnly;
  document_date: DateOnly;
  /** Vendor's invoice reference (XBLNR). */
  reference: string | null;
  header_text: string | null;
  /** Who entered the document (USNAM). */
  entered_by: string | null;
  items: JsonWithDefault<FiDocItem[]>;
  created_at: CreatedAt;
}

export interface CaseActionHistoryTable {
  id: Generated<number>;
  tenant_id: string;
  /** Null when the HITL request named no case. */
  case_id: string | null;
  request_id: string;
  session_id: string;
  action_type: ActionType;
  status_code: ActionStatusCode;
  executor_id: string | null;
  reason: string | null;
  doc_key: string | null;
  created_at: CreatedAt;
}

export interface NotificationsTable {
  id: Generated<number>;
  tenant_id: string;
  /** The NOTIFICATION's category: CASE_ACTION, RAG_STATUS, AI_DETECT. */
  type: string;
  title: string;
  content: string;
  case_id: string | null;
  /** The whole message as received. */
  payload: Json<JsonObject>;
  occurred_at: Timestamp;
  /** Unique when set: the same event stored twice is one row. */
  dedupe_key: ColumnType<string | null, string | null | undefined, string | null>;
  created_at: CreatedAt;
}

export interface SysApiCallHistoriesTable {
  id: Generated<number>;
  /** Null when the request carried no tenant (never invented). */
  tenant_id: string | null;
  user_id: string | null;
  agent_id: string | null;
  source: string | null;
  method: string;
  path: string;
  query_string: string | null;
  status_code: number;
  latency_ms: number;
  request_size: number | null;
  response_size: number | null;
  ip: string | null;
  user_agent: string | null;
  trace_id: string | null;
  /** CLIENT_CLOSED, GATEWAY_TIMEOUT, SERVER_ERROR, CLIENT_ERROR or null. */
  error_code: string | null;
  created_at: CreatedAt;
}

/** How far a backend (the consumer) has read the workbench outbox stream. */
export interface WorkbenchOutboxCursorTable {
  consumer: string;
  /** The last entry id read (Redis Stream id `ms-seq`). */
  last_id: string;
  updated_at: ColumnType<Date, Date | string | undefined, Date | string>;
}

/**
 * The approvals inbox: one row per HITL request, kept from the `hitlRequestAddress()`
 * messages, so the list survives a Redis restart and the `HITL_REQUEST_TTL_SECONDS` of `hitlRequestKey`.
 * Times are unix seconds, like the HITL records they come from.
 */
export interface HitlRequestsTable {
  tenant_id: string;
  request_id: string;
  session_id: string;
  case_id: string | null;
  doc_key: string | null;
  action_type: string;
  summary: string;
  requested_by: string;
  requested_at: number;
  expires_at: number | null;
  /** pending, approved, rejected, expired; only ever leaves `pending`. */
  status: string;
  stream_id: string | null;
  decided_by: string | null;
  decided_at: number | null;
  reason: string | null;
  updated_at: ColumnType<Date, Date | string | undefined, Date | string>;
}

export interface DB {
  tenants: TenantsTable;
  users: UsersTable;
  cases: CasesTable;
  fi_doc_header: FiDocHeaderTable;
  case_action_history: CaseActionHistoryTable;
  notifications: NotificationsTable;
  sys_api_call_histories: SysApiCallHistoriesTable;
  workbench_outbox_cursor: WorkbenchOutboxCursorTable;
  hitl_requests: HitlRequestsTable;
}

/** The document key used everywhere (HITL context `docKey`, evidence `document.docKey`). */
export function docKey(bukrs: string, belnr: string, gjahr: string | number): string {
  return `${bukrs}-${belnr}-${gjahr}`;
}

export type Tenant = Selectable<TenantsTable>;
export type User = Selectable<UsersTable>;
export type NewUser = Insertable<UsersTable>;
export type Case = Selectable<CasesTable>;
export type NewCase = Insertable<CasesTable>;
export type CaseUpdate = Updateable<CasesTable>;
export type FiDocHeader = Selectable<FiDocHeaderTable>;
export type NewFiDocHeader = Insertable<FiDocHeaderTable>;
export type CaseAction = Selectable<CaseActionHistoryTable>;
export type NewCaseAction = Insertable<CaseActionHistoryTable>;
export type Notification = Selectable<NotificationsTable>;
export type NewNotification = Insertable<NotificationsTable>;
export type ApiCallHistory = Selectable<SysApiCallHistoriesTable>;
export type NewApiCallHistory = Insertable<SysApiCallHistoriesTable>;
export type HitlRequestRow = Selectable<HitlRequestsTable>;
