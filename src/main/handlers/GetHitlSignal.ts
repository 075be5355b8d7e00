import type { GetHitlSignalInput, GetHitlSignalOutput } from '../../../generated/server/operations';
import { ApiError } from '../../shared/errors';
import { ok } from '../../shared/envelope';
import { caller, type RequestContext } from '../../shared/http/service-app';
import type { HitlStore } from '../hitl/store';
import { readOrUnavailable } from '../hitl/read';

export function makeGetHitlSignal(deps: { store: HitlStore }) {
  return async function GetHitlSignal(input: GetHitlSignalInput, ctx: RequestContext): Promise<GetHitlSignalOutput> {
    const auth = caller(ctx);
    const { sessionId } = input.params;
    const signal = await readOrUnavailable(ctx, () => deps.store.readSignal(sessionId));
    if (!signal) throw new ApiError('E1004', 'No signal for this session');
    // A signal carries no tenant: its session says whose it is. The session outlives the signal
    // (written with the request, 60 min, against the signal's 5 min written at the decision).
    const session = await readOrUnavailable(ctx, () => deps.store.readSession(sessionId));
    if (session?.tenantId !== auth.tenantId) throw new ApiError('E1004', 'No signal for this session');
    return { status: 200, body: ok(signal, 'OK', ctx.traceId) };
  };
}
