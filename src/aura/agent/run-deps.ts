import type { AuraAgentRunRecord } from '../../../generated/schemas';
import type { StartAgentStreamEvents } from '../../../generated/server/operations';
import type { Logger } from '../../shared/logger';
import type { DecisionRecords } from '../actions/decision-records';
import type { SignalWaiter } from '../hitl/signal-waiter';
import type { AgentRuns, HitlWaits, RunLeases, StreamLog } from '../ports';
import type { LogEmitter } from '../streams/emitter';
import type { ModelAgent } from './llm/model-agent';
import type { AgentInput, ReasoningProvider } from './reasoning';

/** What an agent run is driven with (the runner and each of its steps). */
export interface AgentRunnerDeps {
  log: StreamLog;
  runs: AgentRuns;
  leases: RunLeases;
  hitl: HitlWaits;
  waiter: SignalWaiter;
  decisions: Pick<DecisionRecords, 'record'>;
  reasoning: ReasoningProvider;
  /** The agent loop on a configured model; without one the built-in agent drives every run. */
  model?: ModelAgent;
  hitlTimeoutSeconds: number;
  logger: Logger;
}

/** The producing side of an agent run's stream. */
export type Emitter = LogEmitter<StartAgentStreamEvents>;

/** The case (and document) a run is about, as tools take it. */
export function caseArgsOf(record: AuraAgentRunRecord): { caseId: string; docKey?: string } {
  return { caseId: record.caseId, ...(record.docKey ? { docKey: record.docKey } : {}) };
}

/** What the agent reasons about: the request the run was started with, on the run's case. */
export function agentInputOf(record: AuraAgentRunRecord, prompt: string, context: Record<string, unknown>): AgentInput {
  return { prompt, context, ...caseArgsOf(record) };
}
