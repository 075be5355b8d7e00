import type { RecordActionInput, RecordActionOutput } from '../../../generated/server/operations';
import { ok } from '../../shared/envelope';
import { caller, type RequestContext } from '../../shared/http/service-app';
import { checkRecordAgainstRequest } from '../actions/verify-record';
import type { DecisionRecords } from '../actions/decision-records';
import type { HitlWaits } from '../ports';

export function makeRecordAction(deps: { hitl: Pick<HitlWaits, 'request'>; decisions: Pick<DecisionRecords, 'record'> }) {
  return async function RecordAction(input: RecordActionInput, ctx: RequestContext): Promise<RecordActionOutput> {
    const b = input.body;
    const tenantId = caller(ctx).tenantId;
    checkRecordAgainstRequest(await deps.hitl.request(b.request_id), b, tenantId);
    const logged = await deps.decisions.record({
      tenantId,
      caseId: b.case_id,
      requestId: b.request_id,
      executorId: b.executor_id,
      actionType: b.approved ? 'APPROVE' : 'REJECT',
      ...(b.comment !== undefined ? { comment: b.comment } : {}),
      ...(b.doc_key !== undefined ? { docKey: b.doc_key } : {}),
    });
    return { status: 200, body: ok({ ok: true as const, logged }, logged ? 'Action recorded' : 'Action already recorded', ctx.traceId) };
  };
}
