import { type Kysely, sql } from 'kysely';

/**
 * The four-eyes rule per tenant: on by default, so every tenant that exists today keeps it; a
 * single-person tenant switches it off to let its one user decide the runs they start.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('tenants').addColumn('four_eyes', 'boolean', (c) => c.notNull().defaultTo(sql`true`)).execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('tenants').dropColumn('four_eyes').execute();
}
