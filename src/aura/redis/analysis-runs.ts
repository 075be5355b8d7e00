import type Redis from 'ioredis';
import type { AnalysisRunStatus, AuraAnalysisJobRecord } from '../../../generated/schemas';
import {
  AURA_ANALYSIS_JOB_TTL_SECONDS,
  AURA_ANALYSIS_RUN_TTL_SECONDS,
  auraAnalysisJobKey,
  auraAnalysisRunKey,
  encodeAuraAnalysisJobRecord,
  encodeAuraAnalysisRunRecord,
  readAuraAnalysisJobRecord,
  readAuraAnalysisRunRecord,
} from '../../../generated/redis';
import type { AnalysisRuns } from '../ports';

// Status and request are written together: a run that exists always has the request another
// instance needs to re-drive it.
const CREATE = `if redis.call('SET', KEYS[1], ARGV[1], 'NX', 'EX', ARGV[2]) then
  redis.call('SET', KEYS[2], ARGV[3], 'EX', ARGV[4]) return 1 end
return 0`;

/** AnalysisRuns over the `auraAnalysisRun` and `auraAnalysisJob` keys. */
export class RedisAnalysisRuns implements AnalysisRuns {
  constructor(private readonly redis: Redis) {}

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

  get(runId: string): Promise<AnalysisRunStatus | null> {
    return readAuraAnalysisRunRecord(this.redis, { runId });
  }

  job(runId: string): Promise<AuraAnalysisJobRecord | null> {
    return readAuraAnalysisJobRecord(this.redis, { runId });
  }
}
