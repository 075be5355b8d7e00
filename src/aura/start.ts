// Aura composed from its config: the one place it is wired (main.ts runs it alone,
// src/platform.ts with the others).
import { createLogger } from '../shared/logger';
import { createRedis } from '../shared/redis/connection';
import { serve, type StartOptions, type Started } from '../shared/service/started';
import type { ReasoningProvider } from './agent/reasoning';
import { createApp } from './app';
import type { AuraConfig } from './config';

/** Aura keeps no database; `reasoning` replaces the provider chosen from config. */
export async function startAura(config: AuraConfig, opts: Omit<StartOptions, 'database'> & { reasoning?: ReasoningProvider } = {}): Promise<Started> {
  const logger = opts.logger ?? createLogger('aura');
  const redis = createRedis(config.redis, 'aura', logger);
  const app = createApp({ config, logger, redis, ...(opts.reasoning ? { reasoning: opts.reasoning } : {}) });
  // The app first: its runs stop and hand over while their Redis connection is still there.
  return serve(opts.host ?? config.host, async (host) => (await app.listen({ port: config.port, host }), app.server), [() => app.close(), async () => redis.disconnect()]);
}
