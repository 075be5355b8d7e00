import { normaliseId } from '../../shared/ids';

export interface LineTarget {
  docId?: string;
  itemId?: string;
  /** Where the target came from (cited in the summary). */
  source?: 'body_evidence' | 'evidence' | 'docKey';
}

type Loose = Record<string, unknown>;

// Requests and agent contexts are JSON from outside: read fields without trusting their shape.
export const asRecord = (v: unknown): Loose | undefined => (v && typeof v === 'object' && !Array.isArray(v) ? (v as Loose) : undefined);

/** `BUKRS-BELNR-GJAHR[-BUZEI]` names a line (BELNR, BUZEI); any other key names the document itself. */
function fromDocKey(docKey: unknown): { docId?: string; itemId?: string } | undefined {
  if (typeof docKey !== 'string' || docKey === '') return undefined;
  const parts = docKey.split('-');
  if (parts.length >= 3) return strip({ docId: parts[1], itemId: parts[3] });
  return { docId: docKey };
}

/** doc_id/item_id of one block, else its `document.docKey` (both places the seeds name). */
function fromBlock(block: unknown): { ids: { docId?: string; itemId?: string }; viaDocKey: boolean } | undefined {
  const b = asRecord(block);
  if (!b) return undefined;
  const ids = strip({ docId: normaliseId(b.doc_id), itemId: normaliseId(b.item_id) });
  if (ids.docId || ids.itemId) return { ids, viaDocKey: false };
  const key = fromDocKey(asRecord(b.document)?.docKey);
  return key ? { ids: key, viaDocKey: true } : undefined;
}

/**
 * The document line to look at first: `body_evidence` (its doc_id/item_id, else its
 * document.docKey), then `evidence` (the same), then a top-level docKey; ids arrive as strings
 * or numbers and become strings.
 */
export function lineTarget(req: { body_evidence?: unknown; evidence?: unknown; docKey?: unknown }): LineTarget {
  const body = fromBlock(req.body_evidence);
  if (body) return { ...body.ids, source: 'body_evidence' };
  const ev = fromBlock(req.evidence);
  if (ev) return { ...ev.ids, source: ev.viaDocKey ? 'docKey' : 'evidence' };
  const key = fromDocKey(req.docKey);
  return key ? { ...key, source: 'docKey' } : {};
}

/**
 * The agent stream's context is free-form: the same blocks as an analysis request
 * (`body_evidence`, `evidence`), or the ids and docKey at its top level.
 */
export function lineTargetOfContext(context: Record<string, unknown>): LineTarget {
  const t = lineTarget({ body_evidence: context.body_evidence, evidence: context.evidence });
  if (t.docId || t.itemId) return t;
  const top = strip({ docId: normaliseId(context.doc_id), itemId: normaliseId(context.item_id) });
  if (top.docId || top.itemId) return { ...top, source: 'evidence' };
  return lineTarget({ docKey: context.docKey });
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
