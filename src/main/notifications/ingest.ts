import { parseWorkbenchNotification } from '../../../generated/redis';
import type * as S from '../../../generated/schemas';
import type { Logger } from '../../shared/logger';
import type { MainMetrics } from '../metrics';
import type { HitlInboxRepo } from '../workbench-store/hitl-inbox';
import type { NotificationRepo } from '../workbench-store/notification-repo';
import { notificationRow } from '../workbench-store/notification-row';
import type { NotificationHub } from './hub';
import { notificationItem } from './mapping';

/** What became of one message; `failed` (the database refused it) may be retried. */
export type IngestOutcome = 'stored' | 'duplicate' | 'invalid' | 'failed';

export type WorkbenchHandler = (channel: string, raw: string | Buffer) => Promise<IngestOutcome>;

/** Records one of Aura's TIMEOUT CASE_ACTIONs in the database (hitl/timeout.ts); a throw fails the message. */
export type TimeoutRecorder = (msg: S.CaseActionNotification) => Promise<void>;

/**
 * One workbench message: validate (invalid → logged, counted, dropped), store per tenant (a
 * repeat of an already stored event is dropped), push to the tenant's open streams. Never throws:
 * the subscriber must survive anything published on the workbench channels.
 */
export function createWorkbenchIngest(deps: {
  repo: NotificationRepo;
  hub: NotificationHub;
  metrics: MainMetrics;
  log: Logger;
  /** Record Aura's TIMEOUT CASE_ACTIONs in the database (history row, document and case on HOLD). */
  timeouts?: TimeoutRecorder;
  /** Keep the approvals inbox table from HITL_REQUEST messages. */
  inbox?: HitlInboxRepo;
}): WorkbenchHandler {
  return async (channel, raw) => {
    let msg;
    try {
      msg = parseWorkbenchNotification(raw);
    } catch (err) {
      deps.metrics.notificationsInvalid.inc();
      deps.log.warn({ channel, err: (err as Error).message.slice(0, 500) }, 'invalid workbench message dropped');
      return 'invalid';
    }
    deps.metrics.notificationsReceived.inc({ category: msg.category });
    try {
      // The backend is the single source of truth for case actions: a timeout is decided by
      // Aura, so it is recorded here. The ledger stores its own copy of this CASE_ACTION (same
      // dedupe key), which makes the insert below a no-op rather than a second row.
      if (msg.category === 'CASE_ACTION' && msg.action_type === 'TIMEOUT' && deps.timeouts) await deps.timeouts(msg);
      // The inbox row first: the pushed notification makes workbenches reload the inbox, which
      // must then already show the change. A failure here is retried from the outbox.
      if (msg.category === 'HITL_REQUEST' && deps.inbox) await deps.inbox.apply(msg);
      const row = await deps.repo.insert(notificationRow(msg));
      if (!row) return 'duplicate';
      deps.hub.publish(notificationItem(row));
      return 'stored';
    } catch (err) {
      deps.metrics.notificationsFailed.inc();
      deps.log.error({ channel, err: (err as Error).message }, 'workbench message could not be stored');
      return 'failed';
    }
  };
}
