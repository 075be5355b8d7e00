import { parseAuraFeedbackPendingRecord } from '../../../generated/redis';
import type { Logger } from '../../shared/logger';
import type { PendingFeedback } from '../ports';
import type { Sweepable } from '../runs/sweeper';
import type { FeedbackLog } from './feedback-log';

/**
 * Writes feedback lines whose recorder never confirmed them (it crashed, or the write failed),
 * once their grace period has passed. At least once: the recovering write skips a line the
 * file already has (same request_id), and readers of several logs dedupe on request_id.
 */
export class FeedbackRecovery implements Sweepable {
  constructor(
    private readonly pending: PendingFeedback,
    private readonly feedback: FeedbackLog,
    private readonly logger: Logger,
  ) {}

  async adoptLapsed(): Promise<void> {
    const due = await this.pending.due(50);
    for (const member of due) {
      if (!(await this.pending.claim(member))) continue;
      let line;
      try {
        line = parseAuraFeedbackPendingRecord(member);
      } catch (err) {
        this.logger.error({ err: (err as Error).message }, 'dropping an off-contract pending feedback line');
        await this.pending.remove(member);
        continue;
      }
      try {
        await this.feedback.write(line, true);
        await this.pending.remove(member);
        this.logger.info({ requestId: line.request_id }, 'recovered a pending feedback line');
      } catch (err) {
        this.logger.warn({ requestId: line.request_id, err: (err as Error).message }, 'pending feedback line still not written; retrying later');
      }
    }
  }
}
