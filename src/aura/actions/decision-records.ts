import { encodeAuraFeedbackPendingRecord, type RedisPublisher } from '../../../generated/redis';
import type { Logger } from '../../shared/logger';
import { caseActionNotification, type CaseActionType } from '../notifications/messages';
import type { NotificationPublisher } from '../notifications/publisher';
import type { PendingFeedback } from '../ports';
import { type FeedbackLog, feedbackLine } from './feedback-log';

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
 * pending until it is written, so a crash right after the publish does not lose it
 * (FeedbackRecovery writes it).
 */
export class DecisionRecords {
  constructor(
    private readonly pending: PendingFeedback,
    private readonly notifications: NotificationPublisher,
    private readonly feedback: FeedbackLog,
    private readonly logger: Logger,
  ) {}

  /** Resolves to true when this call recorded the decision, false when it already had been. */
  async record(input: RecordInput): Promise<boolean> {
    const message = caseActionNotification(input);
    const line = feedbackLine({ ...input, approved: message.approved });
    const member = encodeAuraFeedbackPendingRecord(line);
    let won = false;
    // The generated helper validates and encodes the CASE_ACTION; the once-only step is what sends it.
    const once: RedisPublisher = {
      publish: async (channel, msg) => {
        const receivers = await this.pending.recordOnce(input.requestId, input.actionType, member, channel, msg);
        won = receivers !== null;
        return receivers ?? 0;
      },
    };
    await this.notifications.caseAction(message, once);
    if (!won) {
      this.logger.info({ requestId: input.requestId }, 'decision already recorded; no second CASE_ACTION');
      return false;
    }
    try {
      await this.feedback.write(line);
      await this.pending.remove(member);
    } catch (err) {
      // The decision is recorded and published; the line stays pending and is written by recovery.
      this.logger.warn({ requestId: input.requestId, err: (err as Error).message }, 'feedback line not written yet; left pending for recovery');
    }
    return true;
  }
}
