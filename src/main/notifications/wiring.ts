import type { Kysely } from 'kysely';
import type { DB } from '../../shared/db/schema';
import type { Logger } from '../../shared/logger';
import { createMainMetrics, type MainMetrics } from '../metrics';
import { NotificationHub } from './hub';
import { createWorkbenchIngest } from './ingest';
import { createDbNotificationRepo } from './repo';
import { startWorkbenchSubscriber, type WorkbenchSubscriber } from './subscriber';

export interface MainNotifications {
  hub: NotificationHub;
  metrics: MainMetrics;
  subscriber: WorkbenchSubscriber;
}

/** The workbench subscriber and what it feeds; pass the result into the main app's deps. */
export function startMainNotifications(o: { db: Kysely<DB>; redisUrl: string; logger: Logger; connectionName?: string }): MainNotifications {
  const hub = new NotificationHub();
  const metrics = createMainMetrics();
  const onMessage = createWorkbenchIngest({ repo: createDbNotificationRepo(o.db), hub, metrics, log: o.logger });
  const subscriber = startWorkbenchSubscriber({ redisUrl: o.redisUrl, logger: o.logger, onMessage, connectionName: o.connectionName });
  return { hub, metrics, subscriber };
}
