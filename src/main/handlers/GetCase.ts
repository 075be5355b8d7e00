import type { GetCaseInput, GetCaseOutput } from '../../../generated/server/operations';
import { ApiError } from '../../shared/errors';
import { ok } from '../../shared/envelope';
import { caller, type RequestContext } from '../../shared/http/service-app';
import { caseDetail, type CaseRepo } from '../cases/repo';

export function makeGetCase(deps: { cases: CaseRepo }) {
  return async function GetCase(input: GetCaseInput, ctx: RequestContext): Promise<GetCaseOutput> {
    const { tenantId } = caller(ctx);
    const found = await deps.cases.get(tenantId, input.params.caseId);
    if (!found) throw new ApiError('E1004', 'Case not found');
    return { status: 200, body: ok(caseDetail(found), 'OK', ctx.traceId) };
  };
}
