import { type Kysely, sql } from 'kysely';

/**
 * Initial schema. Plain PostgreSQL DDL only (no extensions), so it runs identically on a
 * PostgreSQL server and on the embedded PGlite. Never edit a released migration: add a new one
 * and list it in `./index.ts`. Status enums mirror openapi.yaml (CaseStatus, DocumentStatusCode,
 * CaseActionType, CaseActionStatusCode, Severity).
 */

/** The Identifier pattern of openapi.yaml: `[A-Za-z0-9._:-]`, 1–128 characters. */
const ID_PATTERN = '^[A-Za-z0-9._:-]{1,128}$';

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('tenants')
    .addColumn('tenant_id', 'text', (c) => c.primaryKey())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addCheckConstraint('tenants_tenant_id_format', sql`tenant_id ~ ${sql.lit(ID_PATTERN)}`)
    .execute();

  await db.schema
    .createTable('users')
    .addColumn('user_id', 'text', (c) => c.primaryKey())
    .addColumn('tenant_id', 'text', (c) => c.notNull().references('tenants.tenant_id').onDelete('cascade'))
    .addColumn('username', 'text', (c) => c.notNull())
    .addColumn('password_hash', 'text', (c) => c.notNull())
    .addColumn('role', 'text', (c) => c.notNull())
    .addColumn('display_name', 'text', (c) => c.notNull())
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addUniqueConstraint('users_tenant_username_key', ['tenant_id', 'username'])
    .addCheckConstraint('users_user_id_format', sql`user_id ~ ${sql.lit(ID_PATTERN)}`)
    .addCheckConstraint('users_role_check', sql`role IN ('APPROVER', 'REQUESTER', 'ADMIN')`)
    .execute();

  await db.schema
    .createTable('fi_doc_header')
    .addColumn('doc_key', 'text', (c) => c.primaryKey())
    .addColumn('tenant_id', 'text', (c) => c.notNull().references('tenants.tenant_id').onDelete('cascade'))
    .addColumn('bukrs', 'text', (c) => c.notNull())
    .addColumn('belnr', 'text', (c) => c.notNull())
    .addColumn('gjahr', 'text', (c) => c.notNull())
    .addColumn('doc_type', 'text', (c) => c.notNull().defaultTo('KR'))
    .addColumn('status_code', 'text', (c) => c.notNull().defaultTo('OPEN'))
    .addColumn('last_change_ts', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('vendor_id', 'text')
    .addColumn('amount', sql`numeric(18, 2)`, (c) => c.notNull())
    .addColumn('currency', 'text', (c) => c.notNull())
    .addColumn('posting_date', 'date', (c) => c.notNull())
    .addColumn('document_date', 'date', (c) => c.notNull())
    .addColumn('reference', 'text')
    .addColumn('header_text', 'text')
    .addColumn('entered_by', 'text')
    .addColumn('items', 'jsonb', (c) => c.notNull().defaultTo(sql`'[]'::jsonb`))
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addCheckConstraint('fi_doc_header_doc_key_check', sql`doc_key = bukrs || '-' || belnr || '-' || gjahr`)
    .addCheckConstraint(
      'fi_doc_header_status_code_check',
      sql`status_code IN ('OPEN', 'PENDING_APPROVAL', 'APPROVED', 'REJECTED', 'HOLD', 'BLOCKED')`,
    )
    .execute();
  await db.schema.createIndex('fi_doc_header_tenant_vendor_idx').on('fi_doc_header').columns(['tenant_id', 'vendor_id']).execute();
  await db.schema
    .createIndex('fi_doc_header_tenant_vendor_reference_idx')
    .on('fi_doc_header')
    .columns(['tenant_id', 'vendor_id', 'reference'])
    .execute();

  await db.schema
    .createTable('cases')
    .addColumn('case_id', 'text', (c) => c.primaryKey())
    .addColumn('tenant_id', 'text', (c) => c.notNull().references('tenants.tenant_id').onDelete('cascade'))
    .addColumn('status', 'text', (c) => c.notNull().defaultTo('OPEN'))
    .addColumn('severity', 'text')
    .addColumn('score', 'double precision')
    .addColumn('bukrs', 'text', (c) => c.notNull())
    .addColumn('belnr', 'text', (c) => c.notNull())
    .addColumn('gjahr', 'text', (c) => c.notNull())
    .addColumn('doc_key', 'text', (c) => c.generatedAlwaysAs(sql`bukrs || '-' || belnr || '-' || gjahr`).stored())
    .addColumn('buzei', 'text')
    .addColumn('vendor_id', 'text')
    .addColumn('amount', sql`numeric(18, 2)`)
    .addColumn('currency', 'text')
    .addColumn('title', 'text', (c) => c.notNull())
    .addColumn('evidence', 'jsonb', (c) => c.notNull().defaultTo(sql`'{}'::jsonb`))
    .addColumn('last_run_id', 'text')
    // Set when the last run's result was written to the case; null while a run is being followed.
    .addColumn('last_run_applied_at', 'timestamptz')
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addCheckConstraint('cases_case_id_format', sql`case_id ~ ${sql.lit(ID_PATTERN)}`)
    .addCheckConstraint('cases_status_check', sql`status IN ('OPEN', 'IN_REVIEW', 'APPROVED', 'REJECTED', 'HOLD', 'CLOSED')`)
    .addCheckConstraint('cases_severity_check', sql`severity IS NULL OR severity IN ('LOW', 'MEDIUM', 'HIGH')`)
    .addCheckConstraint('cases_score_check', sql`score IS NULL OR (score >= 0 AND score <= 1)`)
    .execute();
  await db.schema.createIndex('cases_tenant_updated_idx').on('cases').columns(['tenant_id', 'updated_at desc']).execute();
  await db.schema.createIndex('cases_tenant_doc_key_idx').on('cases').columns(['tenant_id', 'doc_key']).execute();

  await db.schema
    .createTable('case_action_history')
    .addColumn('id', 'bigserial', (c) => c.primaryKey())
    .addColumn('tenant_id', 'text', (c) => c.notNull())
    .addColumn('case_id', 'text')
    .addColumn('request_id', 'text', (c) => c.notNull().unique())
    .addColumn('session_id', 'text', (c) => c.notNull())
    .addColumn('action_type', 'text', (c) => c.notNull())
    .addColumn('status_code', 'text', (c) => c.notNull())
    .addColumn('executor_id', 'text')
    .addColumn('reason', 'text')
    .addColumn('doc_key', 'text')
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addCheckConstraint('case_action_history_action_type_check', sql`action_type IN ('APPROVE', 'REJECT', 'TIMEOUT')`)
    .addCheckConstraint('case_action_history_status_code_check', sql`status_code IN ('APPROVED', 'REJECTED', 'HOLD')`)
    .execute();
  await db.schema
    .createIndex('case_action_history_tenant_case_idx')
    .on('case_action_history')
    .columns(['tenant_id', 'case_id', 'created_at'])
    .execute();

  await db.schema
    .createTable('notifications')
    .addColumn('id', 'bigserial', (c) => c.primaryKey())
    .addColumn('tenant_id', 'text', (c) => c.notNull())
    .addColumn('type', 'text', (c) => c.notNull())
    .addColumn('title', 'text', (c) => c.notNull())
    .addColumn('content', 'text', (c) => c.notNull())
    .addColumn('case_id', 'text')
    .addColumn('payload', 'jsonb', (c) => c.notNull())
    .addColumn('occurred_at', 'timestamptz', (c) => c.notNull())
    // One row per event even when it arrives twice (the backend records a CASE_ACTION with the
    // decision, Aura publishes the same one on Redis): e.g. `CASE_ACTION:{request_id}:{action_type}`.
    .addColumn('dedupe_key', 'text', (c) => c.unique())
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
  // Listing and Last-Event-ID resume: WHERE tenant_id = $1 AND id > $2 ORDER BY id.
  await db.schema.createIndex('notifications_tenant_id_idx').on('notifications').columns(['tenant_id', 'id']).execute();

  await db.schema
    .createTable('sys_api_call_histories')
    .addColumn('id', 'bigserial', (c) => c.primaryKey())
    .addColumn('tenant_id', 'text')
    .addColumn('user_id', 'text')
    .addColumn('agent_id', 'text')
    .addColumn('source', 'text')
    .addColumn('method', 'text', (c) => c.notNull())
    .addColumn('path', 'text', (c) => c.notNull())
    .addColumn('query_string', 'text')
    .addColumn('status_code', 'integer', (c) => c.notNull())
    .addColumn('latency_ms', 'integer', (c) => c.notNull())
    .addColumn('request_size', 'bigint')
    .addColumn('response_size', 'bigint')
    .addColumn('ip', 'text')
    .addColumn('user_agent', 'text')
    .addColumn('trace_id', 'text')
    .addColumn('error_code', 'text')
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
  await db.schema
    .createIndex('sys_api_call_histories_tenant_created_idx')
    .on('sys_api_call_histories')
    .columns(['tenant_id', 'created_at'])
    .execute();
  await db.schema.createIndex('sys_api_call_histories_trace_idx').on('sys_api_call_histories').column('trace_id').execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const table of [
    'sys_api_call_histories',
    'notifications',
    'case_action_history',
    'cases',
    'fi_doc_header',
    'users',
    'tenants',
  ]) {
    await db.schema.dropTable(table).ifExists().execute();
  }
}
