// Pure factories for the workbench notifications Aura publishes; contract tests call these too.
import type { AiDetectNotification, CaseActionNotification, RagStatusNotification } from '../../../generated/schemas';
import { isoNow } from '../../shared/time';

export type CaseActionType = CaseActionNotification['action_type'];

const CASE_ACTION = {
  APPROVE: { message: '조치 승인됨', status_code: 'APPROVED', approved: true },
  REJECT: { message: '조치 거절됨', status_code: 'REJECTED', approved: false },
  // A wait that times out puts the case on hold.
  TIMEOUT: { message: '조치 보류됨', status_code: 'HOLD', approved: false },
} as const;

export interface CaseActionInput {
  tenantId: string;
  caseId: string;
  requestId: string;
  executorId: string;
  actionType: CaseActionType;
  docKey?: string;
  at?: Date;
}

export function caseActionNotification(i: CaseActionInput): CaseActionNotification {
  const kind = CASE_ACTION[i.actionType];
  const n: CaseActionNotification = {
    type: 'NOTIFICATION',
    category: 'CASE_ACTION',
    message: kind.message,
    timestamp: isoNow(i.at),
    tenant_id: i.tenantId,
    case_id: i.caseId,
    request_id: i.requestId,
    executor_id: i.executorId,
    action_type: i.actionType,
    approved: kind.approved,
    status_code: kind.status_code,
  };
  if (i.docKey) n.doc_key = i.docKey;
  return n;
}

export function ragStatusNotification(tenantId: string, ragDocumentId: string, chunksAdded: number, at?: Date): RagStatusNotification {
  return {
    type: 'NOTIFICATION',
    category: 'RAG_STATUS',
    message: '학습 완료',
    timestamp: isoNow(at),
    tenant_id: tenantId,
    rag_document_id: ragDocumentId,
    chunks_added: chunksAdded,
  };
}

export function aiDetectNotification(tenantId: string, caseId: string, runId: string, score: number, at?: Date): AiDetectNotification {
  return {
    type: 'NOTIFICATION',
    category: 'AI_DETECT',
    message: '신규 이상 징후 탐지',
    timestamp: isoNow(at),
    tenant_id: tenantId,
    case_id: caseId,
    run_id: runId,
    score,
    severity: 'HIGH',
  };
}
