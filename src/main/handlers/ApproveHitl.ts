import type { ApproveHitlInput, ApproveHitlOutput } from '../../../generated/server/operations';
import { ApiError } from '../../shared/errors';
import { ok } from '../../shared/envelope';
import { caller, type RequestContext } from '../../shared/http/service-app';
import { decideHitl } from '../hitl/decide';
import { afterDecision, decisionData, type HitlDeps } from '../hitl/service';

export function makeApproveHitl(deps: HitlDeps) {
  return async function ApproveHitl(input: ApproveHitlInput, ctx: RequestContext): Promise<ApproveHitlOutput> {
    const auth = caller(ctx);
    // The decider is the token's subject; a body naming someone else is not a way to act for them.
    if (input.body?.userId !== undefined && input.body.userId !== auth.userId) throw new ApiError('E2001', 'userId does not match the token');
    const out = await decideHitl(
      { store: deps.store, ledger: deps.ledger, policy: deps.policy, log: ctx.log },
      { requestId: input.params.requestId, tenantId: auth.tenantId, deciderId: auth.userId, status: 'approved' },
    );
    afterDecision(deps, out, auth);
    return { status: 200, body: ok(decisionData(out), out.decidedNow ? 'Approved' : 'Already approved by this decision', ctx.traceId) };
  };
}
