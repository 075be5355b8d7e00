import type Redis from 'ioredis';
import { AURA_ACTION_RECORDED_TTL_SECONDS, auraActionRecordedKey } from '../../../generated/redis';
import { OUTBOX_FIELD, OUTBOX_MAXLEN, outboxKey } from '../../shared/redis/workbench-outbox';
import type { PendingFeedback } from '../ports';
import { dueMembers, REDIS_NOW } from './redis-time';

// Marker, pending feedback line, outbox entry and publish happen in one script: a crash leaves
// none or all of them — never a marker without its notification (which would silence the
// decision for good), nor a decision whose feedback line nobody will write.
// KEYS: marker, pending, outbox. ARGV: action, markerTtl, channel, message, line, graceMs,
// outbox maxlen, outbox channel field, outbox message field.
const ONCE_SCRIPT = `
if redis.call('SET', KEYS[1], ARGV[1], 'NX', 'EX', ARGV[2]) then
  ${REDIS_NOW}
  redis.call('ZADD', KEYS[2], now + tonumber(ARGV[6]), ARGV[5])
  redis.call('XADD', KEYS[3], 'MAXLEN', '~', ARGV[7], '*', ARGV[8], ARGV[3], ARGV[9], ARGV[4])
  return redis.call('PUBLISH', ARGV[3], ARGV[4])
end
return -1`;

// Claim one line for graceMs: only one instance writes it at a time.
// KEYS: pending. ARGV: member, graceMs.
const CLAIM = `${REDIS_NOW}
local s = redis.call('ZSCORE', KEYS[1], ARGV[1])
if s and tonumber(s) <= now then redis.call('ZADD', KEYS[1], 'XX', now + tonumber(ARGV[2]), ARGV[1]) return 1 end
return 0`;

/**
 * PendingFeedback over the `auraActionRecorded` markers and the `auraFeedbackPending` sorted set
 * (lines scored by the end of their grace period, Redis time).
 */
export class RedisPendingFeedback implements PendingFeedback {
  constructor(
    private readonly redis: Redis,
    private readonly pendingKey: string,
    private readonly graceMs: number,
  ) {}

  async recordOnce(requestId: string, actionType: string, line: string, channel: string, message: string): Promise<number | null> {
    const r = Number(
      await this.redis.eval(
        ONCE_SCRIPT,
        3,
        auraActionRecordedKey({ requestId }),
        this.pendingKey,
        outboxKey(),
        actionType,
        AURA_ACTION_RECORDED_TTL_SECONDS,
        channel,
        message,
        line,
        this.graceMs,
        OUTBOX_MAXLEN,
        OUTBOX_FIELD.channel,
        OUTBOX_FIELD.message,
      ),
    );
    return r >= 0 ? r : null;
  }

  due(max: number): Promise<string[]> {
    return dueMembers(this.redis, this.pendingKey, max);
  }

  async claim(line: string): Promise<boolean> {
    return Number(await this.redis.eval(CLAIM, 1, this.pendingKey, line, this.graceMs)) === 1;
  }

  async remove(line: string): Promise<void> {
    await this.redis.zrem(this.pendingKey, line);
  }
}
