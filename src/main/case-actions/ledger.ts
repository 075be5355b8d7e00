import type { Kysely } from 'kysely';
import type { DB, Notification } from '../../shared/db/schema';
import { insertNotification } from '../workbench-store/notification-repo';
import { notificationRow } from '../workbench-store/notification-row';
import type { LedgerEntry } from './entry';
import { caseActionMessage } from './message';

export interface LedgerResult {
  /** False when this request's decision had already been recorded (a retry). */
  inserted: boolean;
  historyId: number;
  /** Whether a document status row was updated for the entry's docKey. */
  documentUpdated: boolean;
  /**
   * The CASE_ACTION notification stored with the decision (same transaction), so the workbench
   * hears of it even if Aura's notification is lost on the way; Aura's copy is deduplicated.
   */
  notification: Notification | null;
}

/** The backend's record of decisions (a port: the database below). */
export interface DecisionLedger {
  record(entry: LedgerEntry): Promise<LedgerResult>;
}

export function createDbDecisionLedger(db: Kysely<DB>): DecisionLedger {
  return {
    record: (e) =>
      db.transaction().execute(async (trx) => {
        const at = new Date(e.at * 1000);
        const row = await trx
          .insertInto('case_action_history')
          .values({
            tenant_id: e.tenantId,
            case_id: e.caseId,
            request_id: e.requestId,
            session_id: e.sessionId,
            action_type: e.actionType,
            status_code: e.statusCode,
            executor_id: e.executorId,
            reason: e.reason,
            doc_key: e.docKey,
            created_at: at,
          })
          .onConflict((oc) => oc.column('request_id').doNothing())
          .returning('id')
          .executeTakeFirst();
        if (!row) {
          // Already recorded by an earlier attempt, in the same transaction as the status updates.
          const prior = await trx.selectFrom('case_action_history').select('id').where('request_id', '=', e.requestId).executeTakeFirstOrThrow();
          return { inserted: false, historyId: prior.id, documentUpdated: false, notification: null };
        }
        let documentUpdated = false;
        if (e.docKey) {
          const u = await trx
            .updateTable('fi_doc_header')
            .set({ status_code: e.statusCode, last_change_ts: at })
            .where('doc_key', '=', e.docKey)
            .where('tenant_id', '=', e.tenantId)
            .executeTakeFirst();
          documentUpdated = Number(u.numUpdatedRows) > 0;
        }
        if (e.caseId) {
          await trx
            .updateTable('cases')
            .set({ status: e.statusCode, updated_at: at })
            .where('case_id', '=', e.caseId)
            .where('tenant_id', '=', e.tenantId)
            .execute();
        }
        let notification: Notification | null = null;
        if (e.caseId) {
          const msg = caseActionMessage({ ...e, caseId: e.caseId }, { historyId: row.id, documentUpdated });
          notification = await insertNotification(trx, notificationRow(msg));
        }
        return { inserted: true, historyId: row.id, documentUpdated, notification };
      }),
  };
}
