import type { Logger } from '../../shared/logger';
import { timeoutLedgerEntry } from '../case-actions/entry';
import type { DecisionLedger } from '../case-actions/ledger';
import type { NotificationHub } from '../notifications/hub';
import type { TimeoutRecorder } from '../notifications/ingest';
import { notificationItem } from '../notifications/mapping';
import type { HitlStore } from './store';

/**
 * Records Aura's TIMEOUT CASE_ACTIONs (history row, document and case on HOLD) and pushes the
 * ledger's copy of the CASE_ACTION. The request record (still in Redis) gives the session and
 * document; without it (unknown or expired) the message is only stored as a notification.
 */
export function createTimeoutRecorder(deps: { store: HitlStore; ledger: DecisionLedger; hub: NotificationHub; log: Logger }): TimeoutRecorder {
  return async (msg) => {
    const stored = await deps.store.readRequest(msg.request_id);
    if (stored && stored.record.tenantId === msg.tenant_id) {
      const res = await deps.ledger.record(timeoutLedgerEntry(stored.record, msg));
      if (res.notification) deps.hub.publish(notificationItem(res.notification));
    } else {
      deps.log.warn({ requestId: msg.request_id }, 'TIMEOUT for an unknown or expired HITL request: stored as a notification only');
    }
  };
}
