import type { GetAuraHitlSignalInput, GetAuraHitlSignalOutput } from '../../../generated/server/operations';
import { ok } from '../../shared/envelope';
import { ApiError } from '../../shared/errors';
import { caller, type RequestContext } from '../../shared/http/service-app';
import type { AuraRuntime } from '../runtime';

export function makeGetAuraHitlSignal(rt: AuraRuntime) {
  return async function GetAuraHitlSignal(input: GetAuraHitlSignalInput, ctx: RequestContext): Promise<GetAuraHitlSignalOutput> {
    const { sessionId } = input.params;
    // The signal does not name its tenant; the session record does.
    const session = await rt.hitl.session(sessionId);
    const signal = session && session.tenantId === caller(ctx).tenantId ? await rt.hitl.signal(sessionId) : null;
    if (!signal) throw new ApiError('E1004', `No HITL signal for session ${sessionId}`);
    return { status: 200, body: ok(signal, 'OK', ctx.traceId) };
  };
}
