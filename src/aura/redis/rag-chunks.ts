import type Redis from 'ioredis';
import type { RagChunkRecord, RagDocumentRecord } from '../../../generated/schemas';
import {
  encodeRagChunksRecord,
  encodeRagDocumentsRecord,
  parseRagChunksRecord,
  parseRagDocumentsRecord,
  ragChunksKey,
  ragDocumentsKey,
  ragVersionKey,
} from '../../../generated/redis';
import type { Logger } from '../../shared/logger';
import type { RagChunks } from '../ports';

/** RagChunks over the tenant's `ragChunks` and `ragDocuments` hashes and its `ragVersion` counter. */
export class RedisRagChunks implements RagChunks {
  constructor(
    private readonly redis: Redis,
    private readonly logger: Logger,
  ) {}

  async document(tenantId: string, documentId: string): Promise<RagDocumentRecord | null> {
    const raw = await this.redis.hget(ragDocumentsKey({ tenantId }), documentId);
    return raw ? parseRagDocumentsRecord(raw) : null;
  }

  async putChunks(tenantId: string, chunks: RagChunkRecord[]): Promise<void> {
    const key = ragChunksKey({ tenantId });
    const p = this.redis.pipeline();
    for (const rec of chunks) p.hset(key, rec.chunkId, encodeRagChunksRecord(rec));
    await p.exec();
  }

  async deleteChunks(tenantId: string, chunkIds: string[]): Promise<void> {
    await this.redis.hdel(ragChunksKey({ tenantId }), ...chunkIds);
  }

  async putDocument(tenantId: string, record: RagDocumentRecord): Promise<void> {
    await this.redis.multi().hset(ragDocumentsKey({ tenantId }), record.documentId, encodeRagDocumentsRecord(record)).incr(ragVersionKey({ tenantId })).exec();
  }

  async version(tenantId: string): Promise<string> {
    return (await this.redis.get(ragVersionKey({ tenantId }))) ?? '0';
  }

  async *scanChunks(tenantId: string, count: number): AsyncGenerator<RagChunkRecord[]> {
    let cursor = '0';
    do {
      const [next, flat] = await this.redis.hscan(ragChunksKey({ tenantId }), cursor, 'COUNT', count);
      cursor = next;
      const batch: RagChunkRecord[] = [];
      for (let i = 1; i < flat.length; i += 2) {
        try {
          batch.push(parseRagChunksRecord(flat[i]));
        } catch (err) {
          this.logger.warn({ err: (err as Error).message }, 'skipping an off-contract RAG chunk');
        }
      }
      yield batch;
    } while (cursor !== '0');
  }
}
