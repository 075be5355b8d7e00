import type { GetHitlRequestInput, GetHitlRequestOutput } from '../../../generated/server/operations';
import { ApiError } from '../../shared/errors';
import { ok } from '../../shared/envelope';
import { caller, type RequestContext } from '../../shared/http/service-app';
import type { HitlStore } from '../hitl/store';
import { readOrUnavailable } from '../hitl/read';

export function makeGetHitlRequest(deps: { store: HitlStore }) {
  return async function GetHitlRequest(input: GetHitlRequestInput, ctx: RequestContext): Promise<GetHitlRequestOutput> {
    const auth = caller(ctx);
    const stored = await readOrUnavailable(ctx, () => deps.store.readRequest(input.params.requestId));
    if (!stored || stored.record.tenantId !== auth.tenantId) throw new ApiError('E1004', 'HITL request not found');
    // The record itself, not a JSON string of it (the original double-encoded it).
    return { status: 200, body: ok(stored.record, 'OK', ctx.traceId) };
  };
}
