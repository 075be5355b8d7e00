import type { Kysely, Transaction } from 'kysely';
import type { DB, Notification } from '../../shared/db/schema';
import { toJson } from '../../shared/db/schema';
import type { NewNotificationRow } from './notification-row';

export interface NotificationRepo {
  /** Stores one notification; null when its dedupe key was already stored. */
  insert(n: NewNotificationRow): Promise<Notification | null>;
  /** Newest first, ids below `before` when given. */
  list(tenantId: string, limit: number, before?: number): Promise<Notification[]>;
  /** Oldest first, ids above `afterId` (resume). */
  after(tenantId: string, afterId: number, limit: number): Promise<Notification[]>;
}

export async function insertNotification(db: Kysely<DB> | Transaction<DB>, n: NewNotificationRow): Promise<Notification | null> {
  const row = await db
    .insertInto('notifications')
    .values({
      tenant_id: n.tenantId,
      type: n.type,
      title: n.title,
      content: n.content,
      case_id: n.caseId,
      payload: toJson(n.payload),
      occurred_at: n.occurredAt,
      dedupe_key: n.dedupeKey,
    })
    .onConflict((oc) => oc.column('dedupe_key').doNothing())
    .returningAll()
    .executeTakeFirst();
  return row ?? null;
}

export function createDbNotificationRepo(db: Kysely<DB>): NotificationRepo {
  return {
    insert: (n) => insertNotification(db, n),
    list: (tenantId, limit, before) => {
      let q = db.selectFrom('notifications').selectAll().where('tenant_id', '=', tenantId);
      if (before !== undefined) q = q.where('id', '<', before);
      return q.orderBy('id', 'desc').limit(limit).execute();
    },
    after: (tenantId, afterId, limit) =>
      db.selectFrom('notifications').selectAll().where('tenant_id', '=', tenantId).where('id', '>', afterId).orderBy('id', 'asc').limit(limit).execute(),
  };
}
