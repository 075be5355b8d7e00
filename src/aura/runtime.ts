import type Redis from 'ioredis';
import {
  AURA_AGENT_STREAM_TTL_SECONDS,
  AURA_ANALYSIS_STREAM_TTL_SECONDS,
  auraAgentRunsLiveKey,
  auraAgentStreamKey,
  auraRunLeaseKey,
  auraAnalysisLeaseKey,
  auraAnalysisRunsLiveKey,
  auraAnalysisStreamKey,
  auraFeedbackPendingKey,
} from '../../generated/redis';
import type { Logger } from '../shared/logger';
import { ActionRecorder } from './actions/action-recorder';
import { FeedbackLog } from './actions/feedback-log';
import { FeedbackRecovery } from './actions/feedback-recovery';
import { AgentRunner } from './agent/agent-runner';
import { ChatClient } from './agent/llm/chat-client';
import { ModelAgent } from './agent/llm/model-agent';
import { ReadTools } from './agent/llm/read-tools';
import { BuiltinReasoning, type ReasoningProvider } from './agent/reasoning';
import { AgentRunStore } from './agent/run-store';
import { AnalysisRunner } from './analysis/analysis-runner';
import { AnalysisRunStore } from './analysis/run-store';
import type { AuraConfig } from './config';
import { HitlStore } from './hitl/hitl-store';
import { SignalWaiter } from './hitl/signal-waiter';
import { NotificationPublisher } from './notifications/publisher';
import { outboxPublisher } from '../shared/redis/workbench-outbox';
import { RagStore } from './rag/rag-store';
import { RunLeases } from './runs/leases';
import { Sweeper } from './runs/sweeper';
import { RedisStreamLog } from './streams/redis-stream-log';
import { SharedTail } from './streams/shared-tail';
import type { StreamLog } from './streams/stream-log';

/** The name of the process's HITL subscriber connection (CLIENT LIST shows it; tests kill it). */
export function hitlSubscriberName(instanceId: string): string {
  return `${instanceId}:hitl-sub`;
}

/** The name of the process's shared stream-tail connection (one per process, whatever the number of clients). */
export function tailConnectionName(instanceId: string): string {
  return `${instanceId}:tail`;
}

export interface AuraRuntime {
  config: AuraConfig;
  agentLog: StreamLog;
  analysisLog: StreamLog;
  agent: AgentRunner;
  analysis: AnalysisRunner;
  analysisRuns: AnalysisRunStore;
  hitl: HitlStore;
  recorder: ActionRecorder;
  notifications: NotificationPublisher;
  rag: RagStore;
  close(): Promise<void>;
}

export interface RuntimeDeps {
  config: AuraConfig;
  logger: Logger;
  redis: Redis;
  reasoning?: ReasoningProvider;
}

export function createRuntime({ config, logger, redis, reasoning }: RuntimeDeps): AuraRuntime {
  const sub = redis.duplicate({ connectionName: hitlSubscriberName(config.instanceId), maxRetriesPerRequest: null });
  sub.on('error', (err) => logger.warn({ err: err.message }, 'HITL subscriber connection error'));
  const provider = reasoning ?? new BuiltinReasoning();
  const rag = new RagStore(redis, logger);
  // Data leaves the platform only here, and only to the configured endpoint.
  const model = config.llm ? new ModelAgent(new ChatClient(config.llm), new ReadTools(rag), config.llm, logger) : undefined;
  // Every notification also goes to the workbench outbox, so a backend that missed the
  // PUBLISH (disconnected, restarting) reads it there.
  const notifications = new NotificationPublisher(outboxPublisher(redis), config.channels);
  const feedback = new FeedbackLog(logger, config.hitlFeedbackLogPath);
  const pendingFeedback = auraFeedbackPendingKey({ logId: config.feedbackLogId });
  const recorder = new ActionRecorder(redis, notifications, feedback, pendingFeedback, config.runLeaseMs, logger);
  const hitl = new HitlStore(redis, config.channels.hitlRequest);
  const tail = new SharedTail(redis, tailConnectionName(config.instanceId), config.tailBlockMs, logger);
  const agentLog = new RedisStreamLog(redis, (id) => auraAgentStreamKey({ streamId: id }), AURA_AGENT_STREAM_TTL_SECONDS, tail);
  const analysisLog = new RedisStreamLog(redis, (id) => auraAnalysisStreamKey({ runId: id }), AURA_ANALYSIS_STREAM_TTL_SECONDS, tail);
  const agent = new AgentRunner({
    log: agentLog,
    runs: new AgentRunStore(redis),
    leases: new RunLeases(redis, {
      leaseKey: (streamId) => auraRunLeaseKey({ streamId }),
      indexKey: auraAgentRunsLiveKey({}),
      owner: config.instanceId,
      leaseMs: config.runLeaseMs,
      logger,
    }),
    hitl,
    waiter: new SignalWaiter(redis, sub, logger),
    recorder,
    reasoning: provider,
    ...(model ? { model } : {}),
    hitlTimeoutSeconds: config.hitlTimeoutSeconds,
    logger,
  });
  const analysisRuns = new AnalysisRunStore(redis);
  const analysis = new AnalysisRunner({
    log: analysisLog,
    runs: analysisRuns,
    leases: new RunLeases(redis, {
      leaseKey: (runId) => auraAnalysisLeaseKey({ runId }),
      indexKey: auraAnalysisRunsLiveKey({}),
      owner: config.instanceId,
      leaseMs: config.runLeaseMs,
      logger,
    }),
    rag,
    notifications,
    logger,
  });
  const sweeper = new Sweeper([agent, analysis, new FeedbackRecovery(redis, feedback, pendingFeedback, config.runLeaseMs, logger)], config.sweepIntervalMs, logger);
  sweeper.start();
  return {
    config,
    agentLog,
    analysisLog,
    agent,
    analysis,
    analysisRuns,
    hitl,
    recorder,
    notifications,
    rag,
    close: async () => {
      // Sweeper first: a closing instance must not adopt the runs it is about to hand over.
      await sweeper.stop();
      await agent.close();
      await analysis.close();
      sub.disconnect();
      tail.close();
    },
  };
}
