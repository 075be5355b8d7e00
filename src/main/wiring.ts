import type { Kysely } from 'kysely';
import type { DB } from '../shared/db/schema';
import type { Logger } from '../shared/logger';
import { createRedis } from '../shared/redis/connection';
import type { RedisTarget } from '../shared/redis/options';
import { createDbDecisionLedger } from './case-actions/ledger';
import { createRedisHitlStore } from './hitl/store';
import { createTimeoutRecorder } from './hitl/timeout';
import { createMainMetrics, type MainMetrics } from './metrics';
import { NotificationHub } from './notifications/hub';
import { createWorkbenchIngest } from './notifications/ingest';
import { createDbOutboxCursor, type OutboxReader, startOutboxReader } from './notifications/outbox-reader';
import { startWorkbenchSubscriber, type WorkbenchSubscriber } from './notifications/subscriber';
import { createDbHitlInbox } from './workbench-store/hitl-inbox';
import { createDbNotificationRepo } from './workbench-store/notification-repo';

export interface MainNotifications {
  hub: NotificationHub;
  metrics: MainMetrics;
  subscriber: WorkbenchSubscriber;
  /** Reads what the subscription missed from the workbench outbox. */
  outbox: OutboxReader;
}

/** The workbench subscriber and what it feeds; pass the result into the main app's deps. */
export function startMainNotifications(o: {
  db: Kysely<DB>;
  /** A server URL, or the Sentinel target (`RedisTarget`). */
  redisUrl: string | RedisTarget;
  logger: Logger;
  connectionName?: string;
  /** How often the workbench outbox is read besides after each (re)subscription (default 5 s). */
  outboxSweepMs?: number;
}): MainNotifications {
  const hub = new NotificationHub();
  const metrics = createMainMetrics();
  // A subscribed connection cannot run commands: reading the HITL record of a TIMEOUT needs its own.
  const commands = createRedis(o.redisUrl, 'main-workbench-cmd', o.logger);
  const timeouts = createTimeoutRecorder({ store: createRedisHitlStore(commands), ledger: createDbDecisionLedger(o.db), hub, log: o.logger });
  const onMessage = createWorkbenchIngest({ repo: createDbNotificationRepo(o.db), hub, metrics, log: o.logger, timeouts, inbox: createDbHitlInbox(o.db) });
  // Pub/sub for speed, the outbox for completeness: after every (re)subscription and every few
  // seconds the outbox is read on from this database's cursor (dedupe keys make overlaps no-ops).
  const outbox = startOutboxReader({
    redis: commands,
    cursor: createDbOutboxCursor(o.db),
    onMessage,
    logger: o.logger,
    intervalMs: o.outboxSweepMs ?? 5_000,
  });
  const inner = startWorkbenchSubscriber({
    redisUrl: o.redisUrl,
    logger: o.logger,
    onMessage,
    connectionName: o.connectionName,
    onSubscribed: () => void outbox.catchUp(),
  });
  const subscriber: WorkbenchSubscriber = {
    status: () => ({ ...inner.status(), outbox: outbox.status() }),
    ready: (t) => inner.ready(t),
    close: async () => {
      outbox.stop();
      await inner.close();
      commands.disconnect();
    },
  };
  return { hub, metrics, subscriber, outbox };
}
