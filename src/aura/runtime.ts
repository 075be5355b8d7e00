import type { Logger } from '../shared/logger';
import { DecisionRecords } from './actions/decision-records';
import { FeedbackLog } from './actions/feedback-log';
import { FeedbackRecovery } from './actions/feedback-recovery';
import { AgentRunner } from './agent/agent-runner';
import { ChatClient } from './agent/llm/chat-client';
import { ModelAgent } from './agent/llm/model-agent';
import { ReadTools } from './agent/llm/read-tools';
import { BuiltinReasoning, type ReasoningProvider } from './agent/reasoning';
import { AnalysisRunner } from './analysis/analysis-runner';
import type { AuraConfig } from './config';
import { SignalWaiter } from './hitl/signal-waiter';
import { NotificationPublisher } from './notifications/publisher';
import type { AnalysisRuns, AuraPorts, HealthProbe, HitlWaits, StreamLog } from './ports';
import { RagStore } from './rag/rag-store';
import { Sweeper } from './runs/sweeper';

/** What Aura's handlers are built from (each takes only the part it uses). */
export interface AuraRuntime {
  config: AuraConfig;
  agentLog: StreamLog;
  analysisLog: StreamLog;
  agent: AgentRunner;
  analysis: AnalysisRunner;
  analysisRuns: AnalysisRuns;
  hitl: HitlWaits;
  decisions: DecisionRecords;
  notifications: NotificationPublisher;
  rag: RagStore;
  health: HealthProbe;
  close(): Promise<void>;
}

export interface RuntimeDeps {
  config: AuraConfig;
  logger: Logger;
  ports: AuraPorts;
  reasoning?: ReasoningProvider;
}

/** Aura's runners and stores over its ports; starts the sweeper. `close()` also closes the ports. */
export function createRuntime({ config, logger, ports, reasoning }: RuntimeDeps): AuraRuntime {
  const provider = reasoning ?? new BuiltinReasoning();
  const rag = new RagStore(ports.rag);
  // Data leaves the platform only here, and only to the configured endpoint.
  const model = config.llm ? new ModelAgent(new ChatClient(config.llm), new ReadTools(rag), config.llm, logger) : undefined;
  const notifications = new NotificationPublisher(ports.publisher, config.channels);
  const feedback = new FeedbackLog(logger, config.hitlFeedbackLogPath);
  const decisions = new DecisionRecords(ports.pendingFeedback, notifications, feedback, logger);
  const agent = new AgentRunner({
    log: ports.agentLog,
    runs: ports.agentRuns,
    leases: ports.agentLeases,
    hitl: ports.hitl,
    waiter: new SignalWaiter(ports.hitlSubscriber, ports.hitl, logger),
    decisions,
    reasoning: provider,
    ...(model ? { model } : {}),
    hitlTimeoutSeconds: config.hitlTimeoutSeconds,
    logger,
  });
  const analysis = new AnalysisRunner({
    log: ports.analysisLog,
    runs: ports.analysisRuns,
    leases: ports.analysisLeases,
    rag,
    notifications,
    logger,
  });
  const sweeper = new Sweeper([agent, analysis, new FeedbackRecovery(ports.pendingFeedback, feedback, logger)], config.sweepIntervalMs, logger);
  sweeper.start();
  return {
    config,
    agentLog: ports.agentLog,
    analysisLog: ports.analysisLog,
    agent,
    analysis,
    analysisRuns: ports.analysisRuns,
    hitl: ports.hitl,
    decisions,
    notifications,
    rag,
    health: ports.health,
    close: async () => {
      // Sweeper first: a closing instance must not adopt the runs it is about to hand over.
      await sweeper.stop();
      await agent.close();
      await analysis.close();
      ports.close();
    },
  };
}
