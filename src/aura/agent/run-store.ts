import type Redis from 'ioredis';
import type { AuraAgentRunRecord } from '../../../generated/schemas';
import { AURA_AGENT_RUN_TTL_SECONDS, auraAgentRunKey, encodeAuraAgentRunRecord, parseAuraAgentRunRecord } from '../../../generated/redis';

/** Agent run state (the `auraAgentRun` key); who drives a run is the lease's business (runs/leases.ts). */
export class AgentRunStore {
  constructor(private readonly redis: Redis) {}

  async save(record: AuraAgentRunRecord): Promise<void> {
    await this.redis.set(auraAgentRunKey({ streamId: record.streamId }), encodeAuraAgentRunRecord(record), 'EX', AURA_AGENT_RUN_TTL_SECONDS);
  }

  async get(streamId: string): Promise<AuraAgentRunRecord | null> {
    const raw = await this.redis.get(auraAgentRunKey({ streamId }));
    return raw === null ? null : parseAuraAgentRunRecord(raw);
  }
}
