import { normaliseId } from '../../../shared/ids';
import { readLine } from '../../analysis/rules';
import { asRecord, sameId } from '../../analysis/target';
import type { RagStore } from '../../rag/rag-store';
import { type CaseScope, caseFacts } from './case-scope';

export type ToolResult = { ok: true; result: unknown } | { ok: false; error: string };

/**
 * The tools without an effect. They read this run's case only (its context and its tenant's
 * documents): a model that names another case gets an error result, never another case's data.
 */
export class ReadTools {
  constructor(private readonly rag: RagStore) {}

  async run(name: string, args: Record<string, unknown>, s: CaseScope): Promise<ToolResult> {
    switch (name) {
      case 'lookup_case':
        if (args.caseId !== undefined && args.caseId !== s.caseId) return { ok: false, error: `only case ${s.caseId} is in scope of this run` };
        return { ok: true, result: { ...caseFacts(s), contextFields: Object.keys(s.context).length } };
      case 'lookup_document':
        return this.document(args, s);
      case 'search_regulations': {
        const limit = typeof args.limit === 'number' ? args.limit : 3;
        const hits = await this.rag.search(s.tenantId, String(args.query), limit, s.target);
        return { ok: true, result: { hits: hits.map((h) => ({ chunkId: h.chunk.chunkId, documentId: h.chunk.documentId, title: h.chunk.title, label: h.chunk.label ?? '', text: h.chunk.text.slice(0, 1500), score: Math.round(h.score * 1000) / 1000 })) } };
      }
      case 'check_rules':
        return { ok: true, result: { findings: s.findings } };
      default:
        return { ok: false, error: `${name} is not a read tool` };
    }
  }

  private document(args: Record<string, unknown>, s: CaseScope): ToolResult {
    const ev = asRecord(s.context.evidence);
    const doc = asRecord(ev?.document) ?? asRecord(s.context.document);
    if (!doc) return { ok: false, error: 'the case context has no document' };
    const header = asRecord(doc.header) ?? {};
    const items = Array.isArray(doc.items) ? doc.items.filter((x): x is Record<string, unknown> => !!asRecord(x)) : [];
    const docId = normaliseId(args.docId);
    const itemId = normaliseId(args.itemId);
    const lines = items.map((o, i) => readLine(o, header, 'document', i));
    const wanted = lines.filter((l) => (!docId || (l.docId !== undefined && sameId(l.docId, docId))) && (!itemId || (l.itemId !== undefined && sameId(l.itemId, itemId))));
    if ((docId || itemId) && wanted.length === 0) return { ok: false, error: `no line ${docId ?? '*'}/${itemId ?? '*'} in the case document` };
    return { ok: true, result: { docKey: typeof doc.docKey === 'string' ? doc.docKey : s.docKey, header, lines: wanted.map((l) => ({ ref: l.ref, ...l.raw })) } };
  }
}
