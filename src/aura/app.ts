import type { FastifyInstance } from 'fastify';
import type Redis from 'ioredis';
import type { AuraHandlers } from '../../generated/server/operations';
import type { Logger } from '../shared/logger';
import { createServiceApp, type RequestContext } from '../shared/http/service-app';
import type { AuraConfig } from './config';
import { makeAuraHealth } from './handlers/AuraHealth';
import { CreateAnalysisRun } from './handlers/CreateAnalysisRun';
import { GetAnalysisRun } from './handlers/GetAnalysisRun';
import { GetAuraHitlRequest } from './handlers/GetAuraHitlRequest';
import { GetAuraHitlSignal } from './handlers/GetAuraHitlSignal';
import { IngestRagDocument } from './handlers/IngestRagDocument';
import { JoinStream } from './handlers/JoinStream';
import { RecordAction } from './handlers/RecordAction';
import { StartAgentStream } from './handlers/StartAgentStream';
import { StartAgentStreamGet } from './handlers/StartAgentStreamGet';
import { StreamAnalysisRun } from './handlers/StreamAnalysisRun';

export interface AuraDeps {
  config: AuraConfig;
  logger: Logger;
  redis: Redis;
}

export function createApp(deps: AuraDeps): FastifyInstance {
  const handlers: AuraHandlers<RequestContext> = {
    StartAgentStream,
    StartAgentStreamGet,
    JoinStream,
    RecordAction,
    CreateAnalysisRun,
    GetAnalysisRun,
    StreamAnalysisRun,
    IngestRagDocument,
    AuraHealth: makeAuraHealth(deps),
    GetAuraHitlRequest,
    GetAuraHitlSignal,
  };
  return createServiceApp({
    service: 'aura',
    handlers,
    logger: deps.logger,
    jwtSecret: deps.config.jwtSecret,
    sseHeartbeatMs: deps.config.sseHeartbeatMs,
    // Documents for RAG may be large; everything else keeps the default limit.
    bodyLimits: { IngestRagDocument: 6 * 1024 * 1024 },
  });
}
