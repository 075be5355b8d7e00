import type Redis from 'ioredis';
import { AURA_ACTION_RECORDED_TTL_SECONDS, auraActionRecordedKey, encodeAuraFeedbackPendingRecord, type RedisPublisher } from '../../../generated/redis';
import type { Logger } from '../../shared/logger';
import { REDIS_NOW } from '../runs/redis-time';
import { OUTBOX_FIELD, OUTBOX_MAXLEN, outboxKey } from '../../shared/redis/workbench-outbox';
import { caseActionNotification, type CaseActionType } from '../notifications/messages';
import type { NotificationPublisher } from '../notifications/publisher';
import { type FeedbackLog, feedbackLine } from './feedback-log';

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

export interface RecordInput {
  tenantId: string;
  caseId: string;
  requestId: string;
  executorId: string;
  actionType: CaseActionType;
  comment?: string;
  docKey?: string;
}

/**
 * One decision → one CASE_ACTION and one feedback line, whether it is recorded by the run that
 * received the signal, by POST /aura/action/record, or both, in any instance. The line is kept
 * pending in Redis until it is written, so a crash right after the publish does not lose it
 * (FeedbackRecovery writes it).
 */
export class ActionRecorder {
  constructor(
    private readonly redis: Redis,
    private readonly notifications: NotificationPublisher,
    private readonly feedback: FeedbackLog,
    private readonly pendingKey: string,
    private readonly graceMs: number,
    private readonly logger: Logger,
  ) {}

  /** Resolves to true when this call recorded the decision, false when it already had been. */
  async record(input: RecordInput): Promise<boolean> {
    const marker = auraActionRecordedKey({ requestId: input.requestId });
    const message = caseActionNotification(input);
    const line = feedbackLine({ ...input, approved: message.approved });
    const member = encodeAuraFeedbackPendingRecord(line);
    let won = false;
    const once: RedisPublisher = {
      publish: async (channel, msg) => {
        const r = Number(
          await this.redis.eval(
            ONCE_SCRIPT,
            3,
            marker,
            this.pendingKey,
            outboxKey(),
            input.actionType,
            AURA_ACTION_RECORDED_TTL_SECONDS,
            channel,
            msg,
            member,
            this.graceMs,
            OUTBOX_MAXLEN,
            OUTBOX_FIELD.channel,
            OUTBOX_FIELD.message,
          ),
        );
        won = r >= 0;
        return Math.max(r, 0);
      },
    };
    await this.notifications.caseAction(message, once);
    if (!won) {
      this.logger.info({ requestId: input.requestId }, 'decision already recorded; no second CASE_ACTION');
      return false;
    }
    try {
      await this.feedback.write(line);
      await this.redis.zrem(this.pendingKey, member);
    } catch (err) {
      // The decision is recorded and published; the line stays pending and is written by recovery.
      this.logger.warn({ requestId: input.requestId, err: (err as Error).message }, 'feedback line not written yet; left pending for recovery');
    }
    return true;
  }
}
