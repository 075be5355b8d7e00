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
import { createRuntime } from './runtime';

export interface AuraDeps {
  config: AuraConfig;
  logger: Logger;
  redis: Redis;
  /** Replaces the reasoning provider chosen from config (the built-in one unless an LLM is configured). */
  reasoning?: ReasoningProvider;
}

/** Builds Aura's app (does not listen). Its runs stop and its subscriber closes with the app. */
export function createApp(deps: AuraDeps): ServiceApp {
  const rt = createRuntime(deps);
  const handlers: AuraHandlers<RequestContext> = {
    StartAgentStream: makeStartAgentStream(rt),
    StartAgentStreamGet: makeStartAgentStreamGet(rt),
    JoinStream: makeJoinStream(rt),
    RecordAction: makeRecordAction(rt),
    CreateAnalysisRun: makeCreateAnalysisRun(rt),
    GetAnalysisRun: makeGetAnalysisRun(rt),
    StreamAnalysisRun: makeStreamAnalysisRun(rt),
    IngestRagDocument: makeIngestRagDocument(rt),
    AuraHealth: makeAuraHealth(deps),
    GetAuraHitlRequest: makeGetAuraHitlRequest(rt),
    GetAuraHitlSignal: makeGetAuraHitlSignal(rt),
  };
  const app = createServiceApp({
    service: 'aura',
    handlers,
    logger: deps.logger,
    jwtSecret: deps.config.jwtSecret,
    responseValidation: deps.config.responseValidation,
    sseHeartbeatMs: deps.config.sseHeartbeatMs,
    // Documents for RAG may be large; everything else keeps the default limit.
    bodyLimits: { IngestRagDocument: 6 * 1024 * 1024 },
  });
  app.onClose(() => rt.close());
  return app;
}
