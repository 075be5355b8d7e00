import type Redis from 'ioredis';
import {
  AURA_AGENT_STREAM_TTL_SECONDS,
  AURA_ANALYSIS_STREAM_TTL_SECONDS,
  auraAgentRunsLiveKey,
  auraAgentStreamKey,
  auraAnalysisLeaseKey,
  auraAnalysisRunsLiveKey,
  auraAnalysisStreamKey,
  auraFeedbackPendingKey,
  auraRunLeaseKey,
} from '../../../generated/redis';
import type { Logger } from '../../shared/logger';
import { outboxPublisher } from '../../shared/redis/workbench-outbox';
import type { AuraConfig } from '../config';
import type { AuraPorts } from '../ports';
import { RedisAgentRuns } from './agent-runs';
import { RedisAnalysisRuns } from './analysis-runs';
import { redisHealth } from './health';
import { RedisHitlWaits } from './hitl-waits';
import { RedisPendingFeedback } from './pending-feedback';
import { RedisRagChunks } from './rag-chunks';
import { RedisRunLeases } from './run-leases';
import { SharedTail } from './shared-tail';
import { RedisStreamLog } from './stream-log';
import { RedisSubscriber } from './subscriber';

/** The name of the process's HITL subscriber connection (CLIENT LIST shows it; tests kill it). */
export function hitlSubscriberName(instanceId: string): string {
  return `${instanceId}:hitl-sub`;
}

/** The name of the process's shared stream-tail connection (one per process, whatever the number of clients). */
export function tailConnectionName(instanceId: string): string {
  return `${instanceId}:tail`;
}

/**
 * Every Aura port over one Redis connection (`redis`, which the caller keeps and closes) plus the
 * two it duplicates: the HITL subscriber and the shared stream tail (closed by `close()`).
 */
export function createRedisPorts(redis: Redis, config: AuraConfig, logger: Logger): AuraPorts {
  const sub = redis.duplicate({ connectionName: hitlSubscriberName(config.instanceId), maxRetriesPerRequest: null });
  sub.on('error', (err) => logger.warn({ err: err.message }, 'HITL subscriber connection error'));
  const tail = new SharedTail(redis, tailConnectionName(config.instanceId), config.tailBlockMs, logger);
  const leases = (leaseKey: (id: string) => string, indexKey: string) =>
    new RedisRunLeases(redis, { leaseKey, indexKey, owner: config.instanceId, leaseMs: config.runLeaseMs, logger });
  return {
    agentLog: new RedisStreamLog(redis, (id) => auraAgentStreamKey({ streamId: id }), AURA_AGENT_STREAM_TTL_SECONDS, tail),
    analysisLog: new RedisStreamLog(redis, (id) => auraAnalysisStreamKey({ runId: id }), AURA_ANALYSIS_STREAM_TTL_SECONDS, tail),
    agentRuns: new RedisAgentRuns(redis),
    analysisRuns: new RedisAnalysisRuns(redis),
    agentLeases: leases((streamId) => auraRunLeaseKey({ streamId }), auraAgentRunsLiveKey({})),
    analysisLeases: leases((runId) => auraAnalysisLeaseKey({ runId }), auraAnalysisRunsLiveKey({})),
    hitl: new RedisHitlWaits(redis, config.channels.hitlRequest),
    hitlSubscriber: new RedisSubscriber(sub),
    pendingFeedback: new RedisPendingFeedback(redis, auraFeedbackPendingKey({ logId: config.feedbackLogId }), config.runLeaseMs),
    rag: new RedisRagChunks(redis, logger),
    // Every notification also goes to the workbench outbox, so a backend that missed the
    // PUBLISH (disconnected, restarting) reads it there.
    publisher: outboxPublisher(redis),
    health: redisHealth(redis),
    close: () => {
      sub.disconnect();
      tail.close();
    },
  };
}
