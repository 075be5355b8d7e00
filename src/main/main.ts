import { onShutdown } from '../shared/lifecycle';
import { createLogger } from '../shared/logger';
import { loadMainConfig } from './config';
import { startMain } from './start';

async function main() {
  const logger = createLogger('main');
  const backend = await startMain(loadMainConfig(process.env, (m) => logger.warn(m)), { logger });
  onShutdown(logger, [backend.close]);
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
