import type Redis from 'ioredis';
import { parseAuraFeedbackPendingRecord } from '../../../generated/redis';
import type { Logger } from '../../shared/logger';
import { dueMembers, REDIS_NOW } from '../runs/redis-time';
import type { Sweepable } from '../runs/sweeper';
import type { FeedbackLog } from './feedback-log';

// Claim one line for graceMs: only one instance writes it at a time.
// KEYS: pending. ARGV: member, graceMs.
const CLAIM = `${REDIS_NOW}
local s = redis.call('ZSCORE', KEYS[1], ARGV[1])
if s and tonumber(s) <= now then redis.call('ZADD', KEYS[1], 'XX', now + tonumber(ARGV[2]), ARGV[1]) return 1 end
return 0`;

/**
 * Writes feedback lines whose recorder never confirmed them (it crashed, or the write failed),
 * once their grace period has passed. At least once: the recovering write skips a line the
 * file already has (same request_id), and readers of several logs dedupe on request_id.
 */
export class FeedbackRecovery implements Sweepable {
  constructor(
    private readonly redis: Redis,
    private readonly feedback: FeedbackLog,
    private readonly pendingKey: string,
    private readonly graceMs: number,
    private readonly logger: Logger,
  ) {}

  async adoptLapsed(): Promise<void> {
    const due = await dueMembers(this.redis, this.pendingKey, 50);
    for (const member of due) {
      if (Number(await this.redis.eval(CLAIM, 1, this.pendingKey, member, this.graceMs)) !== 1) continue;
      let line;
      try {
        line = parseAuraFeedbackPendingRecord(member);
      } catch (err) {
        this.logger.error({ err: (err as Error).message }, 'dropping an off-contract pending feedback line');
        await this.redis.zrem(this.pendingKey, member);
        continue;
      }
      try {
        await this.feedback.write(line, true);
        await this.redis.zrem(this.pendingKey, member);
        this.logger.info({ requestId: line.request_id }, 'recovered a pending feedback line');
      } catch (err) {
        this.logger.warn({ requestId: line.request_id, err: (err as Error).message }, 'pending feedback line still not written; retrying later');
      }
    }
  }
}
