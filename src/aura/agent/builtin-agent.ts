import type { AuraAgentRunRecord } from '../../../generated/schemas';
import { agentEvents as ev } from './events';
import type { Proposal } from './llm/model-agent';
import { FALLBACK_SOURCE } from './llm/transcript';
import { type AgentInput, type Finding, type ReasoningProvider, inspectContext } from './reasoning';
import { caseArgsOf, type Emitter } from './run-deps';

function proposalFor(input: AgentInput, findings: Finding[]): { actionType: string; toolName: string } {
  const block = /block|차단|중복|duplicate/i.test(input.prompt) || findings.some((f) => f.rule !== 'AMOUNT_OVER_LIMIT');
  const actionType = block ? 'PAYMENT_BLOCK' : 'REQUEST_INFO';
  return { actionType, toolName: toolOf(actionType) };
}

/** The tool an approved `actionType` runs, when the log does not say. */
export function toolOf(actionType: string): string {
  return actionType === 'PAYMENT_BLOCK' ? 'block_payment' : 'request_info';
}

/** Says in the stream that the built-in agent has the run now; the model's unfinished steps are skipped. */
export async function handOver(e: Emitter, reason: string, openSteps: string[]): Promise<void> {
  for (const id of openSteps) await e.emit('plan_step_update', ev.planStepUpdate(id, 'skipped', 100));
  await e.emit('thought', ev.thought('reflection', `${reason}; Aura's built-in agent takes over for the rest of this run.`, [FALLBACK_SOURCE]));
}

/** The built-in agent: fixed plan, deterministic checks, one proposal. */
export async function builtinProposal(r: ReasoningProvider, record: AuraAgentRunRecord, input: AgentInput, e: Emitter, check: () => void): Promise<Proposal> {
  const findings = inspectContext(input);
  await e.emit('thought', ev.thought('analysis', await r.analyse(input, findings), [`case:${record.caseId}`]));
  check();
  const steps = [
    ['collect', 'Collect the case evidence', 0.95],
    ['check', 'Check the document against duplicate and limit rules', 0.85],
    ['propose', 'Propose an action for human approval', 0.9],
  ] as const;
  for (const [id, desc, conf] of steps) await e.emit('plan_step', ev.planStep(id, desc, conf));

  const caseArgs = caseArgsOf(record);
  await e.emit('plan_step_update', ev.planStepUpdate('collect', 'in_progress', 0));
  await e.emit('tool_execution', ev.tool('lookup_case', caseArgs, 'running', false));
  await e.emit('tool_execution', ev.tool('lookup_case', caseArgs, 'success', false, { result: { caseId: record.caseId, contextFields: Object.keys(input.context).length } }));
  await e.emit('plan_step_update', ev.planStepUpdate('collect', 'completed', 100));
  await e.emit('plan_step_update', ev.planStepUpdate('check', 'in_progress', 0));
  await e.emit('tool_execution', ev.tool('check_rules', caseArgs, 'running', false));
  await e.emit('tool_execution', ev.tool('check_rules', caseArgs, 'success', false, { result: { findings } }));
  await e.emit('plan_step_update', ev.planStepUpdate('check', 'completed', 100));
  check();

  const { actionType, toolName } = proposalFor(input, findings);
  const decisionText = await r.decide(input, findings, actionType);
  await e.emit('thought', ev.thought('decision', decisionText, findings.map((f) => `rule:${f.rule}`)));
  await e.emit('plan_step_update', ev.planStepUpdate('propose', 'in_progress', 50));
  await e.emit('tool_execution', ev.tool(toolName, caseArgs, 'pending', true));
  return { actionType, toolName, toolArgs: caseArgs, message: decisionText };
}
