import type Redis from 'ioredis';
import type { Kysely } from 'kysely';
import type { MainHandlers } from '../../generated/server/operations';
import type { DB } from '../shared/db/schema';
import type { Logger } from '../shared/logger';
import { createServiceApp, type RequestContext, type ServiceApp } from '../shared/http/service-app';
import { type ActionRecorder, createActionRecorder } from './aura/record-action';
import { createDbCaseRepo } from './cases/repo';
import { createRunFollower } from './cases/run-follower';
import { resumeUnappliedRuns } from './cases/resume-runs';
import type { MainConfig } from './config';
import { makeApproveHitl } from './handlers/ApproveHitl';
import { makeGetCase } from './handlers/GetCase';
import { makeGetHitlRequest } from './handlers/GetHitlRequest';
import { makeGetHitlSignal } from './handlers/GetHitlSignal';
import { makeListCases } from './handlers/ListCases';
import { makeListHitlRequests } from './handlers/ListHitlRequests';
import { createDbHitlInbox } from './workbench-store/hitl-inbox';
import { makeListNotifications } from './handlers/ListNotifications';
import { makeMainHealth } from './handlers/MainHealth';
import { makeRejectHitl } from './handlers/RejectHitl';
import { makeStartCaseAnalysis } from './handlers/StartCaseAnalysis';
import { makeStreamNotifications } from './handlers/StreamNotifications';
import { createDbDecisionLedger, type DecisionLedger } from './case-actions/ledger';
import { dbTenantPolicy, type TenantPolicy } from './hitl/four-eyes';
import type { HitlDeps } from './hitl/service';
import { createRedisHitlStore, type HitlStore } from './hitl/store';
import { createMainMetrics, type MainMetrics } from './metrics';
import { NotificationHub } from './notifications/hub';
import { createDbNotificationRepo } from './workbench-store/notification-repo';
import type { SubscriberStatus } from './notifications/subscriber';

export interface MainDeps {
  config: MainConfig;
  logger: Logger;
  db: Kysely<DB>;
  dbKind: string;
  redis: Redis;
  /** Shared with the workbench subscriber (see wiring.ts); created when absent. */
  hub?: NotificationHub;
  metrics?: MainMetrics;
  subscriber?: { status(): SubscriberStatus };
  /** Replace a port (tests: a ledger that fails once, a store on a dead Redis). */
  ports?: { hitlStore?: HitlStore; ledger?: DecisionLedger; policy?: TenantPolicy; recordAction?: ActionRecorder | null };
}

export function createApp(deps: MainDeps): ServiceApp {
  const { config, logger, db } = deps;
  const metrics = deps.metrics ?? createMainMetrics();
  const hub = deps.hub ?? new NotificationHub();
  const cases = createDbCaseRepo(db);
  const notifications = createDbNotificationRepo(db);
  const store = deps.ports?.hitlStore ?? createRedisHitlStore(deps.redis, config.hitlRequestChannel);
  const recordAction =
    deps.ports?.recordAction !== undefined
      ? (deps.ports.recordAction ?? undefined)
      : config.auraRecordAction
        ? createActionRecorder({ auraUrl: config.auraUrl, jwtSecret: config.jwtSecret, timeoutMs: config.auraTimeoutMs, attempts: 3, backoffMs: 200, log: logger, metrics })
        : undefined;
  const hitl: HitlDeps = { store, ledger: deps.ports?.ledger ?? createDbDecisionLedger(db), policy: deps.ports?.policy ?? dbTenantPolicy(db), hub, log: logger };
  if (recordAction) hitl.recordAction = recordAction;
  const follower = createRunFollower({ auraUrl: config.auraUrl, jwtSecret: config.jwtSecret, timeoutMs: config.auraTimeoutMs, maxRunMs: 15 * 60_000, cases, log: logger, metrics });

  const handlers: MainHandlers<RequestContext> = {
    ApproveHitl: makeApproveHitl(hitl),
    RejectHitl: makeRejectHitl(hitl),
    GetHitlRequest: makeGetHitlRequest({ store }),
    GetHitlSignal: makeGetHitlSignal({ store }),
    ListCases: makeListCases({ cases }),
    GetCase: makeGetCase({ cases }),
    StartCaseAnalysis: makeStartCaseAnalysis({ cases, follower, auraUrl: config.auraUrl, auraTimeoutMs: config.auraTimeoutMs, jwtSecret: config.jwtSecret }),
    ListHitlRequests: makeListHitlRequests({ inbox: createDbHitlInbox(db) }),
    ListNotifications: makeListNotifications({ notifications }),
    StreamNotifications: makeStreamNotifications({ notifications, hub }),
    MainHealth: makeMainHealth({ db, dbKind: deps.dbKind, redis: deps.redis, metrics, subscriber: deps.subscriber }),
  };
  const app = createServiceApp({ service: 'main', handlers, logger, jwtSecret: config.jwtSecret, responseValidation: config.responseValidation });
  app.onListen(() => {
    // In the background: start-up must not wait on Aura.
    resumeUnappliedRuns({ cases, follower, log: logger, lookbackMs: 24 * 3600_000 }).catch((err) =>
      logger.warn({ err: (err as Error).message }, 'could not look for unapplied analysis runs'),
    );
  });
  // Open notification streams and run followers would otherwise keep close() waiting.
  app.onClose(() => {
    hub.close();
    follower.close();
  });
  return app;
}
