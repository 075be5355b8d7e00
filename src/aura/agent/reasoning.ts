/** What the agent knows when it reasons about a request. */
export interface AgentInput {
  prompt: string;
  context: Record<string, unknown>;
  caseId: string;
  docKey?: string;
}

export interface Finding {
  rule: string;
  detail: string;
}

export type Outcome = { kind: 'approved' } | { kind: 'rejected'; reason: string };

/**
 * Produces the agent's prose (thoughts and final content). Plans, tools and the approval gate
 * stay deterministic in the runner; only the words come from here, so a real model can be
 * plugged in without changing what the stream guarantees.
 */
export interface ReasoningProvider {
  readonly name: string;
  analyse(input: AgentInput, findings: Finding[]): Promise<string>;
  decide(input: AgentInput, findings: Finding[], actionType: string): Promise<string>;
  conclude(input: AgentInput, actionType: string, outcome: Outcome): Promise<string>;
}

function num(v: unknown): number | undefined {
  if (typeof v === 'number' && Number.isFinite(v)) return v;
  if (typeof v === 'string' && v.trim() !== '' && Number.isFinite(Number(v))) return Number(v);
  return undefined;
}

/** Deterministic checks over the request context (the built-in agent's "tools"). */
export function inspectContext(input: AgentInput, amountLimit = 100_000_000): Finding[] {
  const c = input.context;
  const findings: Finding[] = [];
  const amount = num(c.amount);
  if (amount !== undefined && amount > amountLimit) findings.push({ rule: 'AMOUNT_OVER_LIMIT', detail: `amount ${amount} exceeds ${amountLimit}` });
  if (c.duplicateOf !== undefined || c.duplicate === true) findings.push({ rule: 'DUPLICATE_SUSPECTED', detail: `possible duplicate of ${String(c.duplicateOf ?? 'another document')}` });
  if (/duplicate|중복|double/i.test(input.prompt)) findings.push({ rule: 'DUPLICATE_REVIEW_REQUESTED', detail: 'the request asks for a duplicate check' });
  return findings;
}

/** The built-in provider: offline and deterministic (same input, same words). */
export class BuiltinReasoning implements ReasoningProvider {
  readonly name = 'builtin';

  async analyse(input: AgentInput, findings: Finding[]): Promise<string> {
    const keys = Object.keys(input.context);
    return [
      `Request: "${input.prompt.slice(0, 200)}".`,
      `Case ${input.caseId}${input.docKey ? `, document ${input.docKey}` : ''}.`,
      keys.length ? `Context fields: ${keys.slice(0, 20).join(', ')}.` : 'No context was given.',
      findings.length ? `Findings: ${findings.map((f) => f.rule).join(', ')}.` : 'No rule fired on the context.',
    ].join(' ');
  }

  async decide(_input: AgentInput, findings: Finding[], actionType: string): Promise<string> {
    const why = findings.length ? findings.map((f) => f.detail).join('; ') : 'a human should confirm the case before it proceeds';
    return `Proposing ${actionType} because ${why}. This action needs approval.`;
  }

  async conclude(input: AgentInput, actionType: string, outcome: Outcome): Promise<string> {
    if (outcome.kind === 'approved') return `${actionType} for case ${input.caseId} was approved and executed.`;
    return `${actionType} for case ${input.caseId} was rejected (${outcome.reason || 'no reason given'}); nothing was executed.`;
  }
}
