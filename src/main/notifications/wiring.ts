import Redis from 'ioredis';
import type { Kysely } from 'kysely';
import type { DB } from '../../shared/db/schema';
import type { Logger } from '../../shared/logger';
import { createMainMetrics, type MainMetrics } from '../metrics';
import { NotificationHub } from './hub';
import { createWorkbenchIngest } from './ingest';
import { createDbNotificationRepo } from './repo';
import { createDbDecisionLedger } from '../hitl/ledger';
import { createRedisHitlStore } from '../hitl/store';
import { startWorkbenchSubscriber, type WorkbenchSubscriber } from './subscriber';

export interface MainNotifications {
  hub: NotificationHub;
  metrics: MainMetrics;
  subscriber: WorkbenchSubscriber;
}

/** The workbench subscriber and what it feeds; pass the result into the main app's deps. */
export function startMainNotifications(o: {
  db: Kysely<DB>;
  redisUrl: string;
  logger: Logger;
  connectionName?: string;
}): MainNotifications {
  const hub = new NotificationHub();
  const metrics = createMainMetrics();
  // A subscribed connection cannot run commands: reading the HITL record of a TIMEOUT needs its own.
  const commands = new Redis(o.redisUrl, { connectionName: 'main-workbench-cmd', maxRetriesPerRequest: 3 });
  commands.on('error', (err) => o.logger.warn({ err: err.message }, 'workbench command connection: redis error'));
  const timeouts = { store: createRedisHitlStore(commands), ledger: createDbDecisionLedger(o.db) };
  const onMessage = createWorkbenchIngest({ repo: createDbNotificationRepo(o.db), hub, metrics, log: o.logger, timeouts });
  const inner = startWorkbenchSubscriber({ redisUrl: o.redisUrl, logger: o.logger, onMessage, connectionName: o.connectionName });
  const subscriber: WorkbenchSubscriber = {
    status: () => inner.status(),
    ready: (t) => inner.ready(t),
    close: async () => {
      await inner.close();
      commands.disconnect();
    },
  };
  return { hub, metrics, subscriber };
}
