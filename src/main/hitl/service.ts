import type * as S from '../../../generated/schemas';
import type { AuthContext } from '../../shared/auth/authenticate';
import type { Logger } from '../../shared/logger';
import type { ActionRecorder } from '../aura/record-action';
import { ledgerEntry } from '../case-actions/entry';
import type { DecisionLedger } from '../case-actions/ledger';
import type { NotificationHub } from '../notifications/hub';
import { notificationItem } from '../notifications/mapping';
import type { DecideOutcome } from './decide';
import type { TenantPolicy } from './four-eyes';
import type { HitlStore } from './store';

export interface HitlDeps {
  store: HitlStore;
  ledger: DecisionLedger;
  policy: TenantPolicy;
  /** Optional: tell Aura (RecordAction) once the decision is recorded. */
  recordAction?: ActionRecorder;
  hub: NotificationHub;
  log: Logger;
}

/** The success `data` of approve/reject. */
export function decisionData(o: DecideOutcome): S.HitlDecision {
  const d: S.HitlDecision = { requestId: o.record.requestId, sessionId: o.record.sessionId, status: o.decision.status };
  if (o.decision.reason !== undefined) d.reason = o.decision.reason;
  return d;
}

/** After the answer is decided: notify Aura in the background (its failure never fails the call). */
export function afterDecision(deps: HitlDeps, o: DecideOutcome, auth: AuthContext): void {
  if (o.ledger.notification) deps.hub.publish(notificationItem(o.ledger.notification));
  if (!deps.recordAction || !o.ledger.inserted) return;
  deps.recordAction(ledgerEntry(o.record, o.decision), { tenantId: auth.tenantId }).catch((err) =>
    deps.log.warn({ err }, 'RecordAction crashed'),
  );
}
