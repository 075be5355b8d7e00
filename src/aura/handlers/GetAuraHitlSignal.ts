import type { GetAuraHitlSignalInput, GetAuraHitlSignalOutput } from '../../../generated/server/operations';
import { ok } from '../../shared/envelope';
import { ApiError } from '../../shared/errors';
import { caller, type RequestContext } from '../../shared/http/service-app';
import type { HitlWaits } from '../ports';

export function makeGetAuraHitlSignal(deps: { hitl: Pick<HitlWaits, 'session' | 'signal'> }) {
  return async function GetAuraHitlSignal(input: GetAuraHitlSignalInput, ctx: RequestContext): Promise<GetAuraHitlSignalOutput> {
    const { sessionId } = input.params;
    // The signal does not name its tenant; the session record does.
    const session = await deps.hitl.session(sessionId);
    const signal = session && session.tenantId === caller(ctx).tenantId ? await deps.hitl.signal(sessionId) : null;
    if (!signal) throw new ApiError('E1004', `No HITL signal for session ${sessionId}`);
    return { status: 200, body: ok(signal, 'OK', ctx.traceId) };
  };
}
