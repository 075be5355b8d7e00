import { createLogger } from '../shared/logger';
import { onShutdown } from '../shared/lifecycle';
import { createApp } from './app';
import { loadGatewayConfig } from './config';

async function main() {
  const logger = createLogger('gateway');
  const config = loadGatewayConfig(process.env, (m) => logger.warn(m));
  const server = createApp({ config, logger });
  await new Promise<void>((resolve) => server.listen(config.port, '0.0.0.0', resolve));
  logger.info({ port: config.port }, 'gateway listening');
  onShutdown(logger, [() => new Promise((r) => server.close(r))]);
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
