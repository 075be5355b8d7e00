import type { AnalysisRunRequest } from '../../../generated/schemas';
import { normaliseId } from '../../shared/ids';

export interface LineTarget {
  docId?: string;
  itemId?: string;
  /** Where the target came from (cited in the summary). */
  source?: 'body_evidence' | 'evidence' | 'docKey';
}

/**
 * The document line to look at first: `body_evidence`, then `evidence`, then the document's
 * docKey (`BUKRS-BELNR-GJAHR[-BUZEI]`); ids arrive as strings or numbers and become strings.
 */
export function lineTarget(req: Pick<AnalysisRunRequest, 'body_evidence' | 'evidence'>): LineTarget {
  const fromBody = { docId: normaliseId(req.body_evidence?.doc_id), itemId: normaliseId(req.body_evidence?.item_id) };
  if (fromBody.docId || fromBody.itemId) return { ...strip(fromBody), source: 'body_evidence' };
  const fromEvidence = { docId: normaliseId(req.evidence?.doc_id), itemId: normaliseId(req.evidence?.item_id) };
  if (fromEvidence.docId || fromEvidence.itemId) return { ...strip(fromEvidence), source: 'evidence' };
  const docKey = req.evidence?.document?.docKey;
  if (docKey) {
    const parts = docKey.split('-');
    if (parts.length >= 3) return { ...strip({ docId: parts[1], itemId: parts[3] }), source: 'docKey' };
    return { docId: docKey, source: 'docKey' };
  }
  return {};
}

function strip(t: { docId?: string | undefined; itemId?: string | undefined }): { docId?: string; itemId?: string } {
  const out: { docId?: string; itemId?: string } = {};
  if (t.docId) out.docId = t.docId;
  if (t.itemId) out.itemId = t.itemId;
  return out;
}

/** `0001` and `1` name the same line item; other ids compare as text. */
export function sameId(a: unknown, b: string): boolean {
  const s = normaliseId(a);
  if (s === undefined) return false;
  if (/^\d+$/.test(s) && /^\d+$/.test(b)) return BigInt(s) === BigInt(b);
  return s === b;
}
