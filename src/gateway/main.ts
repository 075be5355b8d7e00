import cluster, { type Worker } from 'node:cluster';
import { onShutdown } from '../shared/lifecycle';
import { createLogger, type Logger } from '../shared/logger';
import { serveClusterMetrics } from './cluster-metrics';
import { type GatewayConfig, loadGatewayConfig } from './config';
import { startGateway } from './start';

/** One gateway process: the whole gateway, or one of GATEWAY_WORKERS sharing the port. */
async function serve(logger: Logger, config: GatewayConfig) {
  const gateway = await startGateway(config, { logger });
  onShutdown(logger, [gateway.close]);
}

/**
 * GATEWAY_WORKERS > 1: a primary that forks that many gateway processes sharing the port
 * (node:cluster; the primary accepts and hands connections round-robin). Each worker is a whole
 * gateway with its own upstream pools, token cache, history batches and metrics; /metrics,
 * whichever worker serves the scrape, answers for all of them (the primary aggregates). A
 * worker that dies is replaced; SIGTERM or
 * SIGINT stops the workers (each drains as a single gateway does), then the primary.
 */
function supervise(logger: Logger, workers: number) {
  let stopping = false;
  const fork = () => cluster.fork();
  cluster.on('exit', (w: Worker, code, signal) => {
    if (stopping) {
      if (Object.keys(cluster.workers ?? {}).length === 0) process.exit(0);
      return;
    }
    logger.error({ worker: w.id, code, signal }, 'gateway worker died; starting another');
    fork();
  });
  serveClusterMetrics();
  for (let i = 0; i < workers; i++) fork();
  logger.info({ workers, pid: process.pid }, 'gateway primary started');
  const stop = (signal: NodeJS.Signals) => {
    if (stopping) process.exit(1);
    stopping = true;
    logger.info({ signal }, 'stopping gateway workers');
    const alive = Object.values(cluster.workers ?? {}).filter((w): w is Worker => !!w);
    if (alive.length === 0) process.exit(0);
    for (const w of alive) w.process.kill('SIGTERM');
  };
  process.once('SIGINT', () => stop('SIGINT'));
  process.once('SIGTERM', () => stop('SIGTERM'));
}

async function main() {
  const logger = createLogger('gateway');
  const config = loadGatewayConfig(process.env, (m) => logger.warn(m));
  if (cluster.isPrimary && config.workers > 1) return supervise(logger, config.workers);
  await serve(logger, config);
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
