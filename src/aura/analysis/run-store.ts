import type Redis from 'ioredis';
import type { AnalysisRunStatus, AuraAnalysisJobRecord } from '../../../generated/schemas';
import {
  AURA_ANALYSIS_JOB_TTL_SECONDS,
  AURA_ANALYSIS_RUN_TTL_SECONDS,
  auraAnalysisJobKey,
  auraAnalysisRunKey,
  encodeAuraAnalysisJobRecord,
  encodeAuraAnalysisRunRecord,
  parseAuraAnalysisJobRecord,
  parseAuraAnalysisRunRecord,
} from '../../../generated/redis';

// Status and request are written together: a run that exists always has the request another
// instance needs to re-drive it.
const CREATE = `if redis.call('SET', KEYS[1], ARGV[1], 'NX', 'EX', ARGV[2]) then
  redis.call('SET', KEYS[2], ARGV[3], 'EX', ARGV[4]) return 1 end
return 0`;

export class AnalysisRunStore {
  constructor(private readonly redis: Redis) {}

  /** Stores a new run and its request unless a run with this runId exists; resolves to the stored run either way. */
  async createOnce(status: AnalysisRunStatus, job: AuraAnalysisJobRecord): Promise<{ created: boolean; run: AnalysisRunStatus }> {
    const keys = [auraAnalysisRunKey({ runId: status.runId }), auraAnalysisJobKey({ runId: status.runId })];
    const args = [encodeAuraAnalysisRunRecord(status), AURA_ANALYSIS_RUN_TTL_SECONDS, encodeAuraAnalysisJobRecord(job), AURA_ANALYSIS_JOB_TTL_SECONDS];
    if (Number(await this.redis.eval(CREATE, 2, ...keys, ...args)) === 1) return { created: true, run: status };
    const existing = await this.get(status.runId);
    if (!existing) return this.createOnce(status, job); // expired in between
    return { created: false, run: existing };
  }

  async save(status: AnalysisRunStatus): Promise<void> {
    await this.redis.set(auraAnalysisRunKey({ runId: status.runId }), encodeAuraAnalysisRunRecord(status), 'EX', AURA_ANALYSIS_RUN_TTL_SECONDS);
  }

  async get(runId: string): Promise<AnalysisRunStatus | null> {
    const raw = await this.redis.get(auraAnalysisRunKey({ runId }));
    return raw === null ? null : parseAuraAnalysisRunRecord(raw);
  }

  async job(runId: string): Promise<AuraAnalysisJobRecord | null> {
    const raw = await this.redis.get(auraAnalysisJobKey({ runId }));
    return raw === null ? null : parseAuraAnalysisJobRecord(raw);
  }
}
