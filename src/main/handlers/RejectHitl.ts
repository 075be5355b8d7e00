import type { RejectHitlInput, RejectHitlOutput } from '../../../generated/server/operations';
import { ApiError } from '../../shared/errors';
import { ok } from '../../shared/envelope';
import { caller, type RequestContext } from '../../shared/http/service-app';
import { type DecideCommand, decideHitl } from '../hitl/decide';
import { afterDecision, decisionData, type HitlDeps } from '../hitl/service';

export function makeRejectHitl(deps: HitlDeps) {
  return async function RejectHitl(input: RejectHitlInput, ctx: RequestContext): Promise<RejectHitlOutput> {
    const auth = caller(ctx);
    if (input.body?.userId !== undefined && input.body.userId !== auth.userId) throw new ApiError('E2001', 'userId does not match the token');
    const cmd: DecideCommand = { requestId: input.params.requestId, tenantId: auth.tenantId, deciderId: auth.userId, status: 'rejected' };
    if (input.body?.reason !== undefined) cmd.reason = input.body.reason;
    const out = await decideHitl({ store: deps.store, ledger: deps.ledger, policy: deps.policy, log: ctx.log }, cmd);
    afterDecision(deps, out, auth);
    return { status: 200, body: ok(decisionData(out), out.decidedNow ? 'Rejected' : 'Already rejected by this decision', ctx.traceId) };
  };
}
