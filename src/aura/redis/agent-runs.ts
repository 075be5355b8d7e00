import type Redis from 'ioredis';
import type { AuraAgentJobRecord, AuraAgentRunRecord } from '../../../generated/schemas';
import {
  AURA_AGENT_JOB_TTL_SECONDS,
  AURA_AGENT_RUN_TTL_SECONDS,
  auraAgentJobKey,
  auraAgentRunKey,
  encodeAuraAgentJobRecord,
  encodeAuraAgentRunRecord,
  readAuraAgentJobRecord,
  readAuraAgentRunRecord,
} from '../../../generated/redis';
import type { AgentRuns } from '../ports';

/** AgentRuns over the `auraAgentRun` and `auraAgentJob` keys. */
export class RedisAgentRuns implements AgentRuns {
  constructor(private readonly redis: Redis) {}

  async create(record: AuraAgentRunRecord, job: AuraAgentJobRecord): Promise<void> {
    const res = await this.redis
      .multi()
      .set(auraAgentRunKey({ streamId: record.streamId }), encodeAuraAgentRunRecord(record), 'EX', AURA_AGENT_RUN_TTL_SECONDS)
      .set(auraAgentJobKey({ streamId: job.streamId }), encodeAuraAgentJobRecord(job), 'EX', AURA_AGENT_JOB_TTL_SECONDS)
      .exec();
    for (const [err] of res ?? []) if (err) throw err;
  }

  job(streamId: string): Promise<AuraAgentJobRecord | null> {
    return readAuraAgentJobRecord(this.redis, { streamId });
  }

  async save(record: AuraAgentRunRecord): Promise<void> {
    await this.redis.set(auraAgentRunKey({ streamId: record.streamId }), encodeAuraAgentRunRecord(record), 'EX', AURA_AGENT_RUN_TTL_SECONDS);
  }

  get(streamId: string): Promise<AuraAgentRunRecord | null> {
    return readAuraAgentRunRecord(this.redis, { streamId });
  }
}
