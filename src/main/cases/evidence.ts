import type * as S from '../../../generated/schemas';
import type { Case } from '../../shared/db/schema';

export interface RunRequestOptions {
  runId: string;
  requestedBy: string;
  mode?: S.AnalysisMode;
  options?: S.JsonObject;
}

/**
 * Aura's CreateAnalysisRun body for a case (pure): the stored evidence, with the document key
 * and the document line (BELNR as `doc_id`, BUZEI as `item_id`) stated both in the evidence and
 * in `body_evidence`, so the analysis looks at that line first.
 */
export function analysisRunRequest(c: Case, o: RunRequestOptions): S.AnalysisRunRequest {
  const stored = (c.evidence ?? {}) as S.AnalysisEvidence;
  const document: S.EvidenceDocument = { ...(stored.document ?? {}), docKey: c.doc_key };
  const evidence: S.AnalysisEvidence = { ...stored, document, doc_id: c.belnr };
  const body_evidence: S.BodyEvidence = { doc_id: c.belnr };
  if (c.buzei !== null) {
    evidence.item_id = c.buzei;
    body_evidence.item_id = c.buzei;
  }
  const req: S.AnalysisRunRequest = { caseId: c.case_id, runId: o.runId, mode: o.mode ?? 'FULL', requestedBy: o.requestedBy, evidence, body_evidence };
  if (o.options) req.options = o.options;
  return req;
}
