import type Redis from 'ioredis';
import type { AnalysisRunStatus } from '../../../generated/schemas';
import { AURA_ANALYSIS_RUN_TTL_SECONDS, auraAnalysisRunKey, encodeAuraAnalysisRunRecord, parseAuraAnalysisRunRecord } from '../../../generated/redis';

export class AnalysisRunStore {
  constructor(private readonly redis: Redis) {}

  /** Stores a new run unless one with this runId exists; resolves to the stored one either way. */
  async createOnce(status: AnalysisRunStatus): Promise<{ created: boolean; run: AnalysisRunStatus }> {
    const key = auraAnalysisRunKey({ runId: status.runId });
    const ok = await this.redis.set(key, encodeAuraAnalysisRunRecord(status), 'EX', AURA_ANALYSIS_RUN_TTL_SECONDS, 'NX');
    if (ok === 'OK') return { created: true, run: status };
    const existing = await this.get(status.runId);
    if (!existing) return this.createOnce(status); // expired in between
    return { created: false, run: existing };
  }

  async save(status: AnalysisRunStatus): Promise<void> {
    await this.redis.set(auraAnalysisRunKey({ runId: status.runId }), encodeAuraAnalysisRunRecord(status), 'EX', AURA_ANALYSIS_RUN_TTL_SECONDS);
  }

  async get(runId: string): Promise<AnalysisRunStatus | null> {
    const raw = await this.redis.get(auraAnalysisRunKey({ runId }));
    return raw === null ? null : parseAuraAnalysisRunRecord(raw);
  }
}
