import type Redis from 'ioredis';
import type { AuraHandlers } from '../../generated/server/operations';
import type { Logger } from '../shared/logger';
import { createServiceApp, type RequestContext, type ServiceApp } from '../shared/http/service-app';
import type { ReasoningProvider } from './agent/reasoning';
import type { AuraConfig } from './config';
import { makeAuraHealth } from './handlers/AuraHealth';
import { makeCreateAnalysisRun } from './handlers/CreateAnalysisRun';
import { makeGetAnalysisRun } from './handlers/GetAnalysisRun';
import { makeGetAuraHitlRequest } from './handlers/GetAuraHitlRequest';
import { makeGetAuraHitlSignal } from './handlers/GetAuraHitlSignal';
import { makeIngestRagDocument } from './handlers/IngestRagDocument';
import { makeJoinStream } from './handlers/JoinStream';
import { makeRecordAction } from './handlers/RecordAction';
import { makeStartAgentStream } from './handlers/StartAgentStream';
import { makeStartAgentStreamGet } from './handlers/StartAgentStreamGet';
import { makeStreamAnalysisRun } from './handlers/StreamAnalysisRun';
import { createRedisPorts } from './redis/ports';
import { createRuntime } from './runtime';

export interface AuraDeps {
  config: AuraConfig;
  logger: Logger;
  /** The command connection (the caller closes it); every port is an adapter over it. */
  redis: Redis;
  /** Replaces the reasoning provider chosen from config (the built-in one unless an LLM is configured). */
  reasoning?: ReasoningProvider;
}

/** Builds Aura's app (does not listen). Its runs stop and its subscriber closes with the app. */
export function createApp(deps: AuraDeps): ServiceApp {
  const { config, logger } = deps;
  const rt = createRuntime({ config, logger, ports: createRedisPorts(deps.redis, config, logger), ...(deps.reasoning ? { reasoning: deps.reasoning } : {}) });
  const { agent, agentLog, analysis, analysisLog, analysisRuns, hitl, decisions, notifications, rag, health } = rt;
  const handlers: AuraHandlers<RequestContext> = {
    StartAgentStream: makeStartAgentStream({ agent, agentLog }),
    StartAgentStreamGet: makeStartAgentStreamGet({ agent, agentLog }),
    JoinStream: makeJoinStream({ agent, agentLog }),
    RecordAction: makeRecordAction({ hitl, decisions }),
    CreateAnalysisRun: makeCreateAnalysisRun({ analysis }),
    GetAnalysisRun: makeGetAnalysisRun({ analysisRuns }),
    StreamAnalysisRun: makeStreamAnalysisRun({ analysisRuns, analysisLog }),
    IngestRagDocument: makeIngestRagDocument({ rag, notifications }),
    AuraHealth: makeAuraHealth({ redis: health }),
    GetAuraHitlRequest: makeGetAuraHitlRequest({ hitl }),
    GetAuraHitlSignal: makeGetAuraHitlSignal({ hitl }),
  };
  const app = createServiceApp({
    service: 'aura',
    handlers,
    logger,
    jwtSecret: config.jwtSecret,
    responseValidation: config.responseValidation,
    sseHeartbeatMs: config.sseHeartbeatMs,
    // RAG documents may be large: IngestRagDocument's `x-body-limit: upload` in openapi.yaml.
  });
  app.onClose(() => rt.close());
  return app;
}
