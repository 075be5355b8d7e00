import type Redis from 'ioredis';
import type { Kysely } from 'kysely';
import type { MainHealthInput, MainHealthOutput } from '../../../generated/server/operations';
import { WORKBENCH_PATTERN } from '../../../generated/redis';
import type { DB } from '../../shared/db/schema';
import type { RequestContext } from '../../shared/http/service-app';
import { databaseCheck, healthReport } from '../../shared/health';
import { pingRedis } from '../../shared/redis/connection';
import { counterValue, type MainMetrics } from '../metrics';
import type { SubscriberStatus } from '../notifications/subscriber';

export interface MainHealthDeps {
  db: Kysely<DB>;
  dbKind: string;
  redis: Redis;
  metrics: MainMetrics;
  /** The workbench subscriber, when this process runs one. */
  subscriber?: { status(): SubscriberStatus };
}

export function makeMainHealth(deps: MainHealthDeps) {
  return async function MainHealth(_input: MainHealthInput, _ctx: RequestContext): Promise<MainHealthOutput> {
    return healthReport('main', {
      database: databaseCheck(deps.db, deps.dbKind),
      redis: async () => ({ up: await pingRedis(deps.redis) }),
      // Decisions still work without it, so a lost subscription degrades rather than downs the service.
      notifications: async () => {
        if (!deps.subscriber) return { up: false, critical: false, detail: 'no workbench subscriber in this process' };
        const s = deps.subscriber.status();
        const invalid = await counterValue(deps.metrics.notificationsInvalid);
        const o = s.outbox;
        const outbox = o
          ? `; outbox cursor=${o.cursor ?? 'none'}, recovered=${o.recovered}${o.trimmedUnread ? ', some trimmed unread (lost)' : ''}${o.lastError ? `, last error: ${o.lastError}` : ''}`
          : '';
        return {
          up: s.subscribed && !o?.lastError,
          critical: false,
          detail: `${s.subscribed ? 'subscribed' : 'not subscribed'} to ${WORKBENCH_PATTERN}; resubscriptions=${s.resubscriptions}; invalid messages=${invalid}${outbox}`,
        };
      },
    });
  };
}
