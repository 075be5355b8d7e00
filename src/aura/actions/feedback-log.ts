import { appendFile, readFile } from 'node:fs/promises';
import type { HitlFeedbackLine } from '../../../generated/schemas';
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

/** One JSONL line: the HitlFeedbackLine schema of openapi.yaml. */
export function feedbackLine(e: FeedbackEntry, at: Date = new Date()): HitlFeedbackLine {
  return {
    event: 'hitl_feedback',
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

  /**
   * Writes the line. `recovering`: a line another attempt may already have written (it crashed
   * after writing, before confirming) — skipped when the file already has its request_id.
   */
  write(line: HitlFeedbackLine, recovering = false): Promise<void> {
    const path = this.path;
    // Appends are chained so concurrent decisions never interleave inside one line.
    const next = this.chain.then(async () => {
      if (path && recovering && (await this.fileHas(path, line.request_id))) return;
      this.logger.info(line, 'hitl_feedback');
      if (path) await appendFile(path, `${JSON.stringify(line)}\n`, 'utf8');
    });
    this.chain = next.catch(() => undefined);
    return next;
  }

  // Recovery is rare, so reading the file is acceptable there (never on the normal path).
  private async fileHas(path: string, requestId: string): Promise<boolean> {
    const text = await readFile(path, 'utf8').catch((err: NodeJS.ErrnoException) => {
      if (err.code === 'ENOENT') return '';
      throw err;
    });
    return text.includes(`"request_id":${JSON.stringify(requestId)}`);
  }
}
