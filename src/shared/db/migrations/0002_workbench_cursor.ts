import { type Kysely, sql } from 'kysely';

/**
 * How far a backend has read the workbench outbox (a Redis Stream): kept with the
 * notifications it produced, so a restarted backend reads on from where this database is,
 * and a new database starts at the outbox's end rather than importing someone else's past.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('workbench_outbox_cursor')
    .addColumn('consumer', 'text', (c) => c.primaryKey())
    .addColumn('last_id', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('workbench_outbox_cursor').ifExists().execute();
}
