import { type Kysely, sql } from 'kysely';

/**
 * The approvals inbox (`GET /main/hitl/requests`). Redis keeps a HITL request
 * `HITL_REQUEST_TTL_SECONDS` and loses it on a restart; the inbox must not, so the backend keeps
 * its own row per request from the `hitlRequestAddress()` messages. Keyed per tenant, so a message of one tenant can never
 * touch another tenant's row.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('hitl_requests')
    .addColumn('tenant_id', 'text', (c) => c.notNull())
    .addColumn('request_id', 'text', (c) => c.notNull())
    .addColumn('session_id', 'text', (c) => c.notNull())
    .addColumn('case_id', 'text')
    .addColumn('doc_key', 'text')
    .addColumn('action_type', 'text', (c) => c.notNull())
    .addColumn('summary', 'text', (c) => c.notNull())
    .addColumn('requested_by', 'text', (c) => c.notNull())
    .addColumn('requested_at', 'bigint', (c) => c.notNull())
    .addColumn('expires_at', 'bigint')
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('stream_id', 'text')
    .addColumn('decided_by', 'text')
    .addColumn('decided_at', 'bigint')
    .addColumn('reason', 'text')
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addPrimaryKeyConstraint('hitl_requests_pkey', ['tenant_id', 'request_id'])
    .execute();
  // The inbox query: a tenant's requests of one status, newest first (keyset pagination).
  await db.schema
    .createIndex('hitl_requests_inbox_idx')
    .on('hitl_requests')
    .columns(['tenant_id', 'status', 'requested_at desc', 'request_id desc'])
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('hitl_requests').ifExists().execute();
}
