import { validateCaseActionMessage } from '../../../generated/redis';
import type * as S from '../../../generated/schemas';
import { isoNow } from '../../shared/time';
import type { LedgerEntry } from './entry';

const MESSAGES = { APPROVED: '조치 승인됨', REJECTED: '조치 거절됨', HOLD: '조치 보류됨' } as const;

/** The CASE_ACTION the backend records itself with a decision (validated against the contract). */
export function caseActionMessage(e: LedgerEntry & { caseId: string }, extra: { historyId: number; documentUpdated: boolean }): S.CaseActionNotification {
  const msg: S.CaseActionNotification = {
    type: 'NOTIFICATION',
    category: 'CASE_ACTION',
    message: MESSAGES[e.statusCode],
    timestamp: isoNow(new Date(e.at * 1000)),
    tenant_id: e.tenantId,
    case_id: e.caseId,
    request_id: e.requestId,
    executor_id: e.executorId,
    action_type: e.actionType,
    approved: e.statusCode === 'APPROVED',
    status_code: e.statusCode,
    history_id: extra.historyId,
    fi_doc_updated: extra.documentUpdated,
  };
  if (e.docKey) msg.doc_key = e.docKey;
  return validateCaseActionMessage(msg);
}
