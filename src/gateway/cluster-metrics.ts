import cluster from 'node:cluster';
import { AggregatorRegistry, type Registry } from 'prom-client';

/**
 * /metrics across GATEWAY_WORKERS. A scrape lands on one worker, whose own counters are only
 * its share of the traffic; that worker asks the primary, which gathers every worker's
 * registry (prom-client's AggregatorRegistry: counters and histograms summed, gauges summed)
 * and answers with the whole gateway's text.
 */

const REQUEST = 'gateway:cluster-metrics-request';
const RESPONSE = 'gateway:cluster-metrics-response';
const ASK_TIMEOUT_MS = 6_000;

interface MetricsRequest {
  type: typeof REQUEST;
  id: number;
}
interface MetricsResponse {
  type: typeof RESPONSE;
  id: number;
  text?: string;
  error?: string;
}

/** In the primary: answers workers' requests for the aggregated metrics. */
export function serveClusterMetrics(): void {
  const aggregator = new AggregatorRegistry();
  cluster.on('message', (worker, msg: MetricsRequest) => {
    if (!msg || msg.type !== REQUEST) return;
    const reply = (r: Omit<MetricsResponse, 'type' | 'id'>) => {
      if (worker.isConnected()) worker.send({ type: RESPONSE, id: msg.id, ...r } satisfies MetricsResponse);
    };
    aggregator.clusterMetrics().then(
      (text) => reply({ text }),
      (err: Error) => reply({ error: err.message }),
    );
  });
}

/**
 * In a worker: registers `registry` for aggregation and returns the /metrics text source.
 * Without an answer from the primary (it is stopping, a worker hangs) the scrape fails rather
 * than pass one worker's numbers off as the gateway's.
 */
export function workerMetricsSource(registry: Registry): () => Promise<string> {
  AggregatorRegistry.setRegistries([registry]);
  // Constructing one in a worker installs prom-client's answer to the primary's requests.
  new AggregatorRegistry();
  let next = 0;
  const pending = new Map<number, { resolve(text: string): void; reject(err: Error): void; timer: NodeJS.Timeout }>();
  process.on('message', (msg: MetricsResponse) => {
    if (!msg || msg.type !== RESPONSE) return;
    const p = pending.get(msg.id);
    if (!p) return;
    pending.delete(msg.id);
    clearTimeout(p.timer);
    if (msg.error !== undefined || msg.text === undefined) p.reject(new Error(`cluster metrics: ${msg.error ?? 'no text'}`));
    else p.resolve(msg.text);
  });
  return () =>
    new Promise<string>((resolve, reject) => {
      const id = next++;
      const timer = setTimeout(() => {
        pending.delete(id);
        reject(new Error('cluster metrics: the primary did not answer'));
      }, ASK_TIMEOUT_MS);
      pending.set(id, { resolve, reject, timer });
      process.send?.({ type: REQUEST, id } satisfies MetricsRequest);
    });
}
