import type Redis from 'ioredis';
import type { AuraAgentJobRecord, AuraAgentRunRecord } from '../../../generated/schemas';
import {
  AURA_AGENT_JOB_TTL_SECONDS,
  AURA_AGENT_RUN_TTL_SECONDS,
  auraAgentJobKey,
  auraAgentRunKey,
  encodeAuraAgentJobRecord,
  encodeAuraAgentRunRecord,
  parseAuraAgentJobRecord,
  parseAuraAgentRunRecord,
} from '../../../generated/redis';

/** Agent run state (the `auraAgentRun` key); who drives a run is the lease's business (runs/leases.ts). */
export class AgentRunStore {
  constructor(private readonly redis: Redis) {}

  /** A new run: its record and the request it was started with, together. */
  async create(record: AuraAgentRunRecord, job: AuraAgentJobRecord): Promise<void> {
    const res = await this.redis
      .multi()
      .set(auraAgentRunKey({ streamId: record.streamId }), encodeAuraAgentRunRecord(record), 'EX', AURA_AGENT_RUN_TTL_SECONDS)
      .set(auraAgentJobKey({ streamId: job.streamId }), encodeAuraAgentJobRecord(job), 'EX', AURA_AGENT_JOB_TTL_SECONDS)
      .exec();
    for (const [err] of res ?? []) if (err) throw err;
  }

  async job(streamId: string): Promise<AuraAgentJobRecord | null> {
    const raw = await this.redis.get(auraAgentJobKey({ streamId }));
    return raw === null ? null : parseAuraAgentJobRecord(raw);
  }

  async save(record: AuraAgentRunRecord): Promise<void> {
    await this.redis.set(auraAgentRunKey({ streamId: record.streamId }), encodeAuraAgentRunRecord(record), 'EX', AURA_AGENT_RUN_TTL_SECONDS);
  }

  async get(streamId: string): Promise<AuraAgentRunRecord | null> {
    const raw = await this.redis.get(auraAgentRunKey({ streamId }));
    return raw === null ? null : parseAuraAgentRunRecord(raw);
  }
}
