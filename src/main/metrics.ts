import { Counter, Registry } from 'prom-client';

/** The main service's counters (a private registry: several apps can live in one process). */
export function createMainMetrics() {
  const registry = new Registry();
  const counter = (name: string, help: string, labelNames: string[] = []) =>
    new Counter({ name, help, labelNames, registers: [registry] });
  return {
    registry,
    notificationsReceived: counter('main_notifications_received_total', 'Workbench messages received', ['category']),
    notificationsInvalid: counter('main_notifications_invalid_total', 'Workbench messages that failed validation (dropped)'),
    notificationsFailed: counter('main_notifications_store_failures_total', 'Valid workbench messages that could not be stored'),
    auraRecordFailures: counter('main_aura_record_action_failures_total', 'Aura RecordAction calls that failed after every retry'),
    auraRecordRetries: counter('main_aura_record_action_retries_total', 'Aura RecordAction attempts that were retried'),
    runFollowFailures: counter('main_analysis_run_follow_failures_total', 'Analysis runs whose result could not be applied to the case'),
  };
}

export type MainMetrics = ReturnType<typeof createMainMetrics>;

/** Current value of a counter (summed over labels). */
export async function counterValue(c: Counter): Promise<number> {
  const m = await c.get();
  return m.values.reduce((s, v) => s + v.value, 0);
}
