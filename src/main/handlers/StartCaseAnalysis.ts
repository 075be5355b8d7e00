import type { StartCaseAnalysisInput, StartCaseAnalysisOutput } from '../../../generated/server/operations';
import * as V from '../../../generated/validators/schemas';
import { DwpApiError } from '../../../generated/service-client';
import { ApiError } from '../../shared/errors';
import { ok } from '../../shared/envelope';
import { caller, type RequestContext } from '../../shared/http/service-app';
import { newId } from '../../shared/ids';
import { auraClient } from '../aura/client';
import { analysisRunRequest } from '../cases/evidence';
import type { CaseRepo } from '../cases/repo';
import type { RunFollower } from '../cases/run-follower';

export interface StartCaseAnalysisDeps {
  cases: CaseRepo;
  follower: RunFollower;
  auraUrl: string;
  auraTimeoutMs: number;
  jwtSecret: string;
}

function upstreamError(err: unknown): ApiError {
  const name = (err as Error).name;
  if (name === 'TimeoutError' || name === 'AbortError') return new ApiError('E5001', 'Aura did not answer in time');
  if (err instanceof DwpApiError) return new ApiError('E5000', `Aura refused the analysis run (HTTP ${err.status})`, err.envelope ? { upstream: err.envelope } : null);
  return new ApiError('E5000', 'Aura is unreachable');
}

export function makeStartCaseAnalysis(deps: StartCaseAnalysisDeps) {
  return async function StartCaseAnalysis(input: StartCaseAnalysisInput, ctx: RequestContext): Promise<StartCaseAnalysisOutput> {
    const auth = caller(ctx);
    const { caseId } = input.params;
    const found = await deps.cases.get(auth.tenantId, caseId);
    if (!found) throw new ApiError('E1004', 'Case not found');
    const runId = input.body?.runId ?? newId('run');
    const body = analysisRunRequest(found.case, { runId, requestedBy: auth.userId, mode: input.body?.mode, options: input.body?.options });
    if (!V.AnalysisRunRequest(body)) {
      ctx.log.error({ errors: V.AnalysisRunRequest.errors, caseId }, 'stored evidence does not make a valid analysis request');
      throw new ApiError('E1000', 'The case evidence does not match the contract');
    }
    const aura = auraClient({ baseUrl: deps.auraUrl, jwtSecret: deps.jwtSecret, tenantId: auth.tenantId, timeoutMs: deps.auraTimeoutMs });
    let accepted;
    try {
      accepted = await aura.createAnalysisRun({ params: { caseId }, body });
    } catch (err) {
      ctx.log.warn({ err: (err as Error).message, caseId, runId }, 'CreateAnalysisRun failed');
      throw upstreamError(err);
    }
    if (!V.AnalysisRunAccepted(accepted)) {
      ctx.log.error({ errors: V.AnalysisRunAccepted.errors }, 'Aura answered off the contract');
      throw new ApiError('E5000', 'Aura answered off the contract');
    }
    await deps.cases.setLastRun(auth.tenantId, caseId, accepted.runId);
    void deps.follower.follow({ runId: accepted.runId, caseId, tenantId: auth.tenantId });
    return { status: 202, body: ok({ caseId, runId: accepted.runId, streamUrl: accepted.streamUrl }, accepted.message, ctx.traceId) };
  };
}
