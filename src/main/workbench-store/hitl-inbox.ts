import type { Kysely, Transaction } from 'kysely';
import type * as S from '../../../generated/schemas';
import type { DB, HitlRequestRow } from '../../shared/db/schema';

/** The approvals inbox table (`hitl_requests`), kept from HITL_REQUEST messages. */
export interface HitlInboxRepo {
  /** Applies one message; false when it changed nothing (a repeat, or a stale `pending`). */
  apply(msg: S.HitlRequestNotification): Promise<boolean>;
  list(q: InboxQuery): Promise<{ rows: HitlRequestRow[]; next?: string }>;
}

export interface InboxQuery {
  tenantId: string;
  status: S.HitlStatus;
  caseId?: string;
  actionType?: string;
  limit: number;
  cursor?: string;
}

/** The inbox row a HITL_REQUEST message describes (absent fields as null). */
type InboxRow = Omit<HitlRequestRow, 'updated_at'>;

function inboxRow(m: S.HitlRequestNotification): InboxRow {
  return {
    tenant_id: m.tenant_id,
    request_id: m.request_id,
    session_id: m.session_id,
    case_id: m.case_id ?? null,
    doc_key: m.doc_key ?? null,
    action_type: m.action_type,
    summary: m.message,
    requested_by: m.requested_by,
    requested_at: m.requested_at,
    expires_at: m.expires_at ?? null,
    status: m.status,
    stream_id: m.stream_id ?? null,
    decided_by: m.decided_by ?? null,
    decided_at: m.decided_at ?? null,
    reason: m.reason ?? null,
  };
}

export async function applyHitlRequest(db: Kysely<DB> | Transaction<DB>, m: S.HitlRequestNotification): Promise<boolean> {
  const row = inboxRow(m);
  // Messages arrive live and again from the outbox, in either order: a status only ever leaves
  // `pending`, so a late `pending` (or a repeat of the decision) changes nothing.
  const res = await db
    .insertInto('hitl_requests')
    .values(row)
    .onConflict((oc) =>
      oc
        .columns(['tenant_id', 'request_id'])
        .doUpdateSet((eb) => ({
          status: eb.ref('excluded.status'),
          decided_by: eb.ref('excluded.decided_by'),
          decided_at: eb.ref('excluded.decided_at'),
          reason: eb.ref('excluded.reason'),
          updated_at: new Date(),
        }))
        .where('hitl_requests.status', '=', 'pending')
        .where('excluded.status', '<>', 'pending'),
    )
    .executeTakeFirst();
  return Number(res.numInsertedOrUpdatedRows ?? 0) > 0;
}

export function encodeCursor(r: HitlRequestRow): string {
  return `${r.requested_at}:${r.request_id}`;
}

function decodeCursor(c: string): { at: number; id: string } {
  const i = c.indexOf(':');
  return { at: Number(c.slice(0, i)), id: c.slice(i + 1) };
}

export function createDbHitlInbox(db: Kysely<DB>): HitlInboxRepo {
  return {
    apply: (m) => applyHitlRequest(db, m),
    async list(q) {
      let sel = db.selectFrom('hitl_requests').selectAll().where('tenant_id', '=', q.tenantId).where('status', '=', q.status);
      if (q.caseId !== undefined) sel = sel.where('case_id', '=', q.caseId);
      if (q.actionType !== undefined) sel = sel.where('action_type', '=', q.actionType);
      if (q.cursor !== undefined) {
        const c = decodeCursor(q.cursor);
        sel = sel.where((eb) => eb.or([eb('requested_at', '<', c.at), eb.and([eb('requested_at', '=', c.at), eb('request_id', '<', c.id)])]));
      }
      // One more than asked tells whether there is a next page without a second query.
      const rows = await sel.orderBy('requested_at', 'desc').orderBy('request_id', 'desc').limit(q.limit + 1).execute();
      if (rows.length <= q.limit) return { rows };
      const page = rows.slice(0, q.limit);
      return { rows: page, next: encodeCursor(page[page.length - 1]!) };
    },
  };
}

export function inboxItem(r: InboxRow): S.HitlInboxItem {
  const item: S.HitlInboxItem = {
    requestId: r.request_id,
    sessionId: r.session_id,
    caseId: r.case_id,
    docKey: r.doc_key,
    actionType: r.action_type,
    summary: r.summary,
    requestedBy: r.requested_by,
    requestedAt: r.requested_at,
    expiresAt: r.expires_at,
    status: r.status as S.HitlStatus,
    streamId: r.stream_id,
  };
  if (r.decided_by !== null) item.decidedBy = r.decided_by;
  if (r.decided_at !== null) item.decidedAt = r.decided_at;
  if (r.reason !== null) item.reason = r.reason;
  return item;
}

/** The inbox item a HITL_REQUEST message describes (what a pushed notification carries). */
export function messageInboxItem(m: S.HitlRequestNotification): S.HitlInboxItem {
  return inboxItem(inboxRow(m));
}
