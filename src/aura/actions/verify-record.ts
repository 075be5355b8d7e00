// POST /aura/action/record tells Aura about a decision the backend made. It is believed only when
// the HITL request in Redis says the same: a record for a request that does not exist, that is
// still pending, that was decided the other way, for another case, or by someone else, is a
// forgery (or a bug) and must not reach every workbench of the tenant as a CASE_ACTION.
import type * as S from '../../../generated/schemas';
import { ApiError } from '../../shared/errors';

export function checkRecordAgainstRequest(record: S.HitlRequestRecord | null, body: S.RecordActionRequest, tenantId: string): void {
  // Another tenant's request is answered like a missing one.
  if (!record || record.tenantId !== tenantId) throw new ApiError('E1004', `HITL request ${body.request_id} not found`);
  if (record.status !== 'approved' && record.status !== 'rejected') {
    throw new ApiError('E3006', `HITL request ${body.request_id} is ${record.status}, not decided; nothing to record`);
  }
  const approved = record.status === 'approved';
  if (approved !== body.approved) throw new ApiError('E3006', `HITL request ${body.request_id} was ${record.status}, not ${body.approved ? 'approved' : 'rejected'}`);
  const caseId = record.context.caseId;
  if (caseId !== undefined && caseId !== body.case_id) throw new ApiError('E3006', `HITL request ${body.request_id} is about case ${caseId}, not ${body.case_id}`);
  const decider = approved ? record.approvedBy : record.rejectedBy;
  if (decider !== body.executor_id) throw new ApiError('E1003', `executor_id ${body.executor_id} did not decide HITL request ${body.request_id}`);
}
