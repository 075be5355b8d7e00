import { lineTargetOfContext, type LineTarget } from '../../analysis/target';
import { type AgentInput, type Finding, inspectContext } from '../reasoning';

/** Everything a run knows about its case: what the model is told, and what its tools may read. */
export interface CaseScope {
  tenantId: string;
  caseId: string;
  docKey?: string;
  prompt: string;
  context: Record<string, unknown>;
  target: LineTarget;
  findings: Finding[];
}

export function caseScope(tenantId: string, input: AgentInput): CaseScope {
  return {
    tenantId,
    caseId: input.caseId,
    ...(input.docKey ? { docKey: input.docKey } : {}),
    prompt: input.prompt,
    context: input.context,
    target: lineTargetOfContext(input.context),
    findings: inspectContext(input),
  };
}

/** The facts stated to the model in every request (and returned by `lookup_case`). */
export function caseFacts(s: CaseScope): Record<string, unknown> {
  return {
    caseId: s.caseId,
    ...(s.docKey ? { docKey: s.docKey } : {}),
    ...(s.target.docId ? { doc_id: s.target.docId } : {}),
    ...(s.target.itemId ? { item_id: s.target.itemId } : {}),
    ...(s.target.source ? { targetFrom: s.target.source } : {}),
    findings: s.findings,
  };
}
