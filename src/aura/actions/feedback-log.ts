import { appendFile } from 'node:fs/promises';
import type { Logger } from '../../shared/logger';
import { isoNow } from '../../shared/time';
import type { CaseActionType } from '../notifications/messages';

export interface FeedbackEntry {
  caseId: string;
  requestId: string;
  executorId: string;
  actionType: CaseActionType;
  approved: boolean;
  comment?: string;
  docKey?: string;
}

/** The brief's JSONL line (section 6 step 4). */
export function feedbackLine(e: FeedbackEntry, at: Date = new Date()) {
  return {
    event: 'hitl_feedback' as const,
    case_id: e.caseId,
    request_id: e.requestId,
    executor_id: e.executorId,
    action_type: e.actionType,
    approved: e.approved,
    comment: e.comment ?? null,
    doc_key: e.docKey ?? null,
    at: isoNow(at),
  };
}

/** The HITL feedback log: always a structured log line, plus a JSONL file when configured. */
export class FeedbackLog {
  private chain: Promise<void> = Promise.resolve();

  constructor(
    private readonly logger: Logger,
    private readonly path?: string,
  ) {}

  write(e: FeedbackEntry): Promise<void> {
    const line = feedbackLine(e);
    this.logger.info(line, 'hitl_feedback');
    if (!this.path) return Promise.resolve();
    const path = this.path;
    // Appends are chained so concurrent decisions never interleave inside one line.
    this.chain = this.chain.then(() => appendFile(path, `${JSON.stringify(line)}\n`, 'utf8'));
    return this.chain;
  }
}
