import { Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { HistoryCounters } from './history';

/** The gateway's Prometheus metrics, on a registry of its own (several gateways may share a process in tests). */
export function createMetrics() {
  const registry = new Registry();
  const requests = new Counter({
    name: 'gateway_requests_total',
    help: 'Requests answered, by upstream and status class.',
    labelNames: ['upstream', 'method', 'status'] as const,
    registers: [registry],
  });
  const latency = new Histogram({
    name: 'gateway_request_duration_seconds',
    help: 'Time to the end of the answer (SSE: the whole stream), by upstream.',
    labelNames: ['upstream', 'kind'] as const,
    buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300],
    registers: [registry],
  });
  const openStreams = new Gauge({
    name: 'gateway_open_sse_streams',
    help: 'SSE streams being relayed now.',
    labelNames: ['upstream'] as const,
    registers: [registry],
  });
  const upstreamErrors = new Counter({
    name: 'gateway_upstream_errors_total',
    help: 'Upstream failures: refused, timeout, reset, broken (stream cut midway).',
    labelNames: ['upstream', 'kind'] as const,
    registers: [registry],
  });
  const historyWritten = new Counter({
    name: 'gateway_history_rows_written_total',
    help: 'API call history rows written to the database.',
    registers: [registry],
  });
  const historyDropped = new Counter({
    name: 'gateway_history_rows_dropped_total',
    help: 'API call history rows lost (buffer full while the database was down, or shutdown).',
    registers: [registry],
  });
  let historyBuffer: () => number = () => 0;
  new Gauge({
    name: 'gateway_history_rows_buffered',
    help: 'API call history rows waiting to be written.',
    registers: [registry],
    collect() {
      this.set(historyBuffer());
    },
  });
  const historyCounters: HistoryCounters = {
    written: (n) => historyWritten.inc(n),
    dropped: (n) => historyDropped.inc(n),
  };
  /** Where the buffered-rows gauge reads from (the sink is created after the metrics). */
  const watchHistory = (buffered: () => number) => {
    historyBuffer = buffered;
  };
  return { registry, requests, latency, openStreams, upstreamErrors, historyCounters, watchHistory };
}

export type GatewayMetrics = ReturnType<typeof createMetrics>;
