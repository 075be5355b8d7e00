import type { GetAuraHitlRequestInput, GetAuraHitlRequestOutput } from '../../../generated/server/operations';
import { ok } from '../../shared/envelope';
import { ApiError } from '../../shared/errors';
import { caller, type RequestContext } from '../../shared/http/service-app';
import type { HitlWaits } from '../ports';

export function makeGetAuraHitlRequest(deps: { hitl: Pick<HitlWaits, 'request'> }) {
  return async function GetAuraHitlRequest(input: GetAuraHitlRequestInput, ctx: RequestContext): Promise<GetAuraHitlRequestOutput> {
    const record = await deps.hitl.request(input.params.requestId);
    // Another tenant's request is "not found": its existence is not revealed.
    if (!record || record.tenantId !== caller(ctx).tenantId) throw new ApiError('E1004', `HITL request ${input.params.requestId} not found`);
    return { status: 200, body: ok(record, 'OK', ctx.traceId) };
  };
}
