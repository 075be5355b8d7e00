import type { Kysely } from 'kysely';
import type * as S from '../../../generated/schemas';
import type { Case, CaseAction, CaseStatus, DB, FiDocHeader, Severity } from '../../shared/db/schema';

export interface CaseDetailRows {
  case: Case;
  document: Pick<FiDocHeader, 'doc_key' | 'status_code' | 'last_change_ts'> | null;
  actions: CaseAction[];
}

/** Cases, their document status and action history (a port: the database below). */
export interface CaseRepo {
  list(tenantId: string, limit: number, status?: CaseStatus): Promise<Case[]>;
  get(tenantId: string, caseId: string): Promise<CaseDetailRows | undefined>;
  setLastRun(tenantId: string, caseId: string, runId: string): Promise<void>;
  /** Applies a completed run's result; ignored when a newer run has started since. */
  applyRunResult(tenantId: string, caseId: string, runId: string, score: number, severity: Severity): Promise<boolean>;
  /** Runs started but whose result was never written (the backend stopped while following them). */
  unappliedRuns(since: Date): Promise<{ tenantId: string; caseId: string; runId: string }[]>;
}

export function createDbCaseRepo(db: Kysely<DB>): CaseRepo {
  return {
    list: (tenantId, limit, status) => {
      let q = db.selectFrom('cases').selectAll().where('tenant_id', '=', tenantId);
      if (status) q = q.where('status', '=', status);
      return q.orderBy('updated_at', 'desc').orderBy('case_id').limit(limit).execute();
    },
    async get(tenantId, caseId) {
      const c = await db.selectFrom('cases').selectAll().where('tenant_id', '=', tenantId).where('case_id', '=', caseId).executeTakeFirst();
      if (!c) return undefined;
      const [document, actions] = await Promise.all([
        db
          .selectFrom('fi_doc_header')
          .select(['doc_key', 'status_code', 'last_change_ts'])
          .where('tenant_id', '=', tenantId)
          .where('doc_key', '=', c.doc_key)
          .executeTakeFirst(),
        db
          .selectFrom('case_action_history')
          .selectAll()
          .where('tenant_id', '=', tenantId)
          .where('case_id', '=', caseId)
          .orderBy('created_at')
          .orderBy('id')
          .execute(),
      ]);
      return { case: c, document: document ?? null, actions };
    },
    async setLastRun(tenantId, caseId, runId) {
      await db.updateTable('cases').set({ last_run_id: runId, last_run_applied_at: null, updated_at: new Date() }).where('tenant_id', '=', tenantId).where('case_id', '=', caseId).execute();
    },
    async applyRunResult(tenantId, caseId, runId, score, severity) {
      const r = await db
        .updateTable('cases')
        .set({ score, severity, updated_at: new Date(), last_run_applied_at: new Date() })
        .where('tenant_id', '=', tenantId)
        .where('case_id', '=', caseId)
        .where('last_run_id', '=', runId)
        .executeTakeFirst();
      return Number(r.numUpdatedRows) > 0;
    },
    async unappliedRuns(since) {
      const rows = await db
        .selectFrom('cases')
        .select(['tenant_id', 'case_id', 'last_run_id'])
        .where('last_run_id', 'is not', null)
        .where('last_run_applied_at', 'is', null)
        .where('updated_at', '>=', since)
        .execute();
      return rows.map((r) => ({ tenantId: r.tenant_id, caseId: r.case_id, runId: r.last_run_id! }));
    },
  };
}

export function caseSummary(c: Case): S.CaseSummary {
  const s: S.CaseSummary = {
    caseId: c.case_id,
    tenantId: c.tenant_id,
    status: c.status,
    title: c.title,
    severity: c.severity,
    score: c.score,
    docKey: c.doc_key,
    bukrs: c.bukrs,
    belnr: c.belnr,
    gjahr: c.gjahr,
    lastRunId: c.last_run_id,
    updatedAt: c.updated_at.toISOString(),
  };
  if (c.buzei !== null) s.buzei = c.buzei;
  if (c.vendor_id !== null) s.vendorId = c.vendor_id;
  if (c.amount !== null) s.amount = Number(c.amount);
  if (c.currency !== null) s.currency = c.currency;
  return s;
}

export function caseDetail(d: CaseDetailRows): S.CaseDetail {
  return {
    case: caseSummary(d.case),
    evidence: d.case.evidence as S.AnalysisEvidence,
    document: d.document
      ? { docKey: d.document.doc_key, statusCode: d.document.status_code, lastChangeTs: d.document.last_change_ts.toISOString() }
      : null,
    actions: d.actions.map((a) => {
      const x: S.CaseAction = {
        requestId: a.request_id,
        sessionId: a.session_id,
        actionType: a.action_type,
        statusCode: a.status_code,
        executorId: a.executor_id ?? 'system',
        reason: a.reason,
        docKey: a.doc_key,
        createdAt: a.created_at.toISOString(),
      };
      return x;
    }),
  };
}
