import { createLogger } from '../shared/logger';
import { onShutdown } from '../shared/lifecycle';
import { createRedis } from '../shared/redis/connection';
import { createApp } from './app';
import { loadAuraConfig } from './config';

async function main() {
  const logger = createLogger('aura');
  const config = loadAuraConfig(process.env, (m) => logger.warn(m));
  const redis = createRedis(config.redis, 'aura', logger);
  const app = createApp({ config, logger, redis });
  await app.listen({ port: config.port, host: config.host });
  onShutdown(logger, [() => app.close(), async () => redis.quit()]);
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
