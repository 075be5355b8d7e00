import { onShutdown } from '../shared/lifecycle';
import { createLogger } from '../shared/logger';
import { loadAuraConfig } from './config';
import { startAura } from './start';

async function main() {
  const logger = createLogger('aura');
  const aura = await startAura(loadAuraConfig(process.env, (m) => logger.warn(m)), { logger });
  onShutdown(logger, [aura.close]);
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
