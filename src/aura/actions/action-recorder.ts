import type Redis from 'ioredis';
import { AURA_ACTION_RECORDED_TTL_SECONDS, auraActionRecordedKey, type RedisPublisher } from '../../../generated/redis';
import type { Logger } from '../../shared/logger';
import { caseActionNotification, type CaseActionType } from '../notifications/messages';
import type { NotificationPublisher } from '../notifications/publisher';
import type { FeedbackLog } from './feedback-log';

// The marker and the publish happen in one script: a crash can leave neither or both, never a
// marker without its notification (which would silence the decision for good).
const ONCE_SCRIPT = `
if redis.call('SET', KEYS[1], ARGV[1], 'NX', 'EX', ARGV[2]) then
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
 * received the signal, by POST /aura/action/record, or both, in any instance.
 */
export class ActionRecorder {
  constructor(
    private readonly redis: Redis,
    private readonly notifications: NotificationPublisher,
    private readonly feedback: FeedbackLog,
    private readonly logger: Logger,
  ) {}

  /** Resolves to true when this call recorded the decision, false when it already had been. */
  async record(input: RecordInput): Promise<boolean> {
    const marker = auraActionRecordedKey({ requestId: input.requestId });
    let won = false;
    const once: RedisPublisher = {
      publish: async (channel, message) => {
        const r = Number(await this.redis.eval(ONCE_SCRIPT, 1, marker, input.actionType, AURA_ACTION_RECORDED_TTL_SECONDS, channel, message));
        won = r >= 0;
        return Math.max(r, 0);
      },
    };
    const message = caseActionNotification(input);
    await this.notifications.caseAction(message, once);
    if (!won) {
      this.logger.info({ requestId: input.requestId }, 'decision already recorded; no second CASE_ACTION');
      return false;
    }
    await this.feedback.write({ ...input, approved: message.approved });
    return true;
  }
}
