import MiniSearch from 'minisearch';
import type { RagChunkRecord, RagDocumentKind, RagDocumentRecord } from '../../../generated/schemas';
import { unixSeconds } from '../../shared/time';
import type { RagChunks } from '../ports';
import { chunkDocument, yieldToLoop } from './chunker';

export interface RagHit {
  chunk: RagChunkRecord;
  score: number;
}

const BATCH = 500;
/**
 * Chunks live in the store (Redis: durable, shared by every instance); each instance keeps a BM25 index
 * (MiniSearch) per tenant and rebuilds it when the tenant's version counter moves.
 */
export class RagStore {
  private readonly indexes = new Map<string, { version: string; index: MiniSearch<RagChunkRecord> }>();

  constructor(private readonly store: RagChunks) {}

  async ingest(tenantId: string, doc: { documentId: string; title: string; kind?: RagDocumentKind; content: string }): Promise<RagDocumentRecord> {
    const chunks = await chunkDocument(doc.content, doc.kind);
    const kind: RagDocumentKind = doc.kind ?? (chunks.some((c) => /조/.test(c.label)) ? 'regulation' : 'text');
    const oldCount = (await this.store.document(tenantId, doc.documentId))?.chunks ?? 0;
    for (let i = 0; i < chunks.length; i += BATCH) {
      const batch: RagChunkRecord[] = [];
      for (let j = i; j < Math.min(chunks.length, i + BATCH); j++) {
        batch.push({ chunkId: `${doc.documentId}#${j}`, documentId: doc.documentId, title: doc.title, label: chunks[j].label, text: chunks[j].text, seq: j });
      }
      await this.store.putChunks(tenantId, batch);
      await yieldToLoop();
    }
    // A re-ingested document replaces its old chunks; stale tail chunks go.
    if (oldCount > chunks.length) {
      const stale = Array.from({ length: oldCount - chunks.length }, (_, k) => `${doc.documentId}#${chunks.length + k}`);
      for (let i = 0; i < stale.length; i += BATCH) await this.store.deleteChunks(tenantId, stale.slice(i, i + BATCH));
    }
    const record: RagDocumentRecord = { documentId: doc.documentId, title: doc.title, kind, chunks: chunks.length, ingestedAt: unixSeconds() };
    await this.store.putDocument(tenantId, record);
    return record;
  }

  /**
   * BM25 over the tenant's chunks. With `prefer` (the document line a Phase2 request names), the
   * chunks of that document — its own (documentId) or ones that cite its doc_id — rank first,
   * even when the query's words alone would not have found them.
   */
  async search(tenantId: string, query: string, limit = 3, prefer: { docId?: string; itemId?: string } = {}): Promise<RagHit[]> {
    if (!query.trim()) return [];
    const index = await this.index(tenantId);
    if (!index) return [];
    const hitsOf = (q: string) => index.search(q, { prefix: true, combineWith: 'OR' }).map((r) => ({ chunk: index.getStoredFields(r.id) as unknown as RagChunkRecord, score: r.score }));
    const hits = hitsOf(query);
    const docId = prefer.docId;
    if (!docId) return hits.slice(0, limit);
    const cites = (c: RagChunkRecord) => c.documentId === docId || c.text.includes(docId);
    const seen = new Set(hits.map((h) => h.chunk.chunkId));
    const named = [...hits, ...hitsOf(docId).filter((h) => !seen.has(h.chunk.chunkId))].filter((h) => cites(h.chunk));
    // Within them, chunks that name the line itself (`5100000123-002`, `5100000123 line 2`) come first.
    const esc = (x: string) => x.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    const item = prefer.itemId ? new RegExp(`${esc(docId)}\\D{1,20}?0*${esc(prefer.itemId.replace(/^0+(?=.)/, ''))}(?![0-9A-Za-z])`) : null;
    const rank = (h: RagHit) => (item && item.test(h.chunk.text) ? 0 : 1);
    named.sort((a, b) => rank(a) - rank(b) || b.score - a.score);
    const namedIds = new Set(named.map((h) => h.chunk.chunkId));
    return [...named, ...hits.filter((h) => !namedIds.has(h.chunk.chunkId))].slice(0, limit);
  }

  private async index(tenantId: string): Promise<MiniSearch<RagChunkRecord> | null> {
    const version = await this.store.version(tenantId);
    if (version === '0') return null;
    const cached = this.indexes.get(tenantId);
    if (cached?.version === version) return cached.index;
    const index = new MiniSearch<RagChunkRecord>({
      idField: 'chunkId',
      fields: ['title', 'label', 'text'],
      storeFields: ['chunkId', 'documentId', 'title', 'label', 'text', 'seq'],
    });
    for await (const batch of this.store.scanChunks(tenantId, BATCH)) {
      // A scan may return a chunk twice (HSCAN while the hash is rehashing).
      index.addAll(batch.filter((c) => !index.has(c.chunkId)));
      await yieldToLoop();
    }
    this.indexes.set(tenantId, { version, index });
    return index;
  }
}
