import { onShutdown } from '../shared/lifecycle';
import { createLogger } from '../shared/logger';
import { loadAuthConfig } from './config';
import { startAuth } from './start';

async function main() {
  const logger = createLogger('auth');
  const auth = await startAuth(loadAuthConfig(process.env, (m) => logger.warn(m)), { logger });
  onShutdown(logger, [auth.close]);
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
