import type { FastifyInstance } from 'fastify';
import type Redis from 'ioredis';
import type { Kysely } from 'kysely';
import type { MainHandlers } from '../../generated/server/operations';
import type { DB } from '../shared/db/schema';
import type { Logger } from '../shared/logger';
import { createServiceApp, type RequestContext } from '../shared/http/service-app';
import type { MainConfig } from './config';
import { ApproveHitl } from './handlers/ApproveHitl';
import { GetCase } from './handlers/GetCase';
import { GetHitlRequest } from './handlers/GetHitlRequest';
import { GetHitlSignal } from './handlers/GetHitlSignal';
import { ListCases } from './handlers/ListCases';
import { ListNotifications } from './handlers/ListNotifications';
import { makeMainHealth } from './handlers/MainHealth';
import { RejectHitl } from './handlers/RejectHitl';
import { StartCaseAnalysis } from './handlers/StartCaseAnalysis';
import { StreamNotifications } from './handlers/StreamNotifications';

export interface MainDeps {
  config: MainConfig;
  logger: Logger;
  db: Kysely<DB>;
  dbKind: string;
  redis: Redis;
}

export function createApp(deps: MainDeps): FastifyInstance {
  const handlers: MainHandlers<RequestContext> = {
    ApproveHitl,
    RejectHitl,
    GetHitlRequest,
    GetHitlSignal,
    ListCases,
    GetCase,
    StartCaseAnalysis,
    ListNotifications,
    StreamNotifications,
    MainHealth: makeMainHealth(deps),
  };
  return createServiceApp({ service: 'main', handlers, logger: deps.logger, jwtSecret: deps.config.jwtSecret });
}
