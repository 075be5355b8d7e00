import type Redis from 'ioredis';
import type { AuraAgentRunRecord } from '../../../generated/schemas';
import {
  AURA_AGENT_RUN_TTL_SECONDS,
  auraAgentRunKey,
  auraRunLeaseKey,
  encodeAuraAgentRunRecord,
  parseAuraAgentRunRecord,
} from '../../../generated/redis';
import type { Logger } from '../../shared/logger';

const RENEW = `if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('PEXPIRE', KEYS[1], ARGV[2]) end return 0`;
const RELEASE = `if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end return 0`;

export interface Lease {
  release(): Promise<void>;
  /** Stops renewing without releasing (the lease lapses, as if this process had died). */
  abandon(): void;
}

/** Agent run state and the lease that says which instance drives a run. */
export class AgentRunStore {
  constructor(
    private readonly redis: Redis,
    private readonly owner: string,
    private readonly leaseMs: number,
    private readonly logger: Logger,
  ) {}

  async save(record: AuraAgentRunRecord): Promise<void> {
    await this.redis.set(auraAgentRunKey({ streamId: record.streamId }), encodeAuraAgentRunRecord(record), 'EX', AURA_AGENT_RUN_TTL_SECONDS);
  }

  async get(streamId: string): Promise<AuraAgentRunRecord | null> {
    const raw = await this.redis.get(auraAgentRunKey({ streamId }));
    return raw === null ? null : parseAuraAgentRunRecord(raw);
  }

  async leaseHeld(streamId: string): Promise<boolean> {
    return (await this.redis.exists(auraRunLeaseKey({ streamId }))) === 1;
  }

  /** Takes the run's lease if nobody holds it, and keeps renewing it until released. */
  async acquire(streamId: string): Promise<Lease | null> {
    const key = auraRunLeaseKey({ streamId });
    const got = await this.redis.set(key, this.owner, 'PX', this.leaseMs, 'NX');
    if (got !== 'OK') return null;
    const timer = setInterval(() => {
      this.redis.eval(RENEW, 1, key, this.owner, this.leaseMs).then(
        (r) => {
          if (Number(r) === 0) this.logger.warn({ streamId }, 'lost the lease of a run');
        },
        (err: Error) => this.logger.warn({ streamId, err: err.message }, 'lease renewal failed'),
      );
    }, Math.max(100, Math.floor(this.leaseMs / 3)));
    timer.unref();
    return {
      release: async () => {
        clearInterval(timer);
        await this.redis.eval(RELEASE, 1, key, this.owner).catch(() => undefined);
      },
      abandon: () => clearInterval(timer),
    };
  }
}
