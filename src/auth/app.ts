import type { Kysely } from 'kysely';
import type { AuthHandlers } from '../../generated/server/operations';
import type { DB } from '../shared/db/schema';
import type { Logger } from '../shared/logger';
import { createServiceApp, type RequestContext, type ServiceApp } from '../shared/http/service-app';
import type { AuthConfig } from './config';
import { makeAuthHealth } from './handlers/AuthHealth';
import { makeGetMe } from './handlers/GetMe';
import { makeLogin } from './handlers/Login';
import { createDbUserDirectory } from './users';

export interface AuthDeps {
  config: AuthConfig;
  logger: Logger;
  db: Kysely<DB>;
  dbKind: string;
}

export function createApp(deps: AuthDeps): ServiceApp {
  const users = createDbUserDirectory(deps.db);
  const handlers: AuthHandlers<RequestContext> = {
    Login: makeLogin({ users, jwtSecret: deps.config.jwtSecret, tokenTtlSeconds: deps.config.tokenTtlSeconds }),
    GetMe: makeGetMe({ users }),
    AuthHealth: makeAuthHealth(deps),
  };
  return createServiceApp({ service: 'auth', handlers, logger: deps.logger, jwtSecret: deps.config.jwtSecret, responseValidation: deps.config.responseValidation });
}
