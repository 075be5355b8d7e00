// Aura composed from its config: the one place it is wired (main.ts runs it alone,
// src/platform.ts with the others).
import { createLogger, type Logger } from '../shared/logger';
import { createRedis } from '../shared/redis/connection';
import { closeOnce, reachableUrl, type Started } from '../shared/service/started';
import type { ReasoningProvider } from './agent/reasoning';
import { createApp } from './app';
import type { AuraConfig } from './config';

export interface AuraStartOptions {
  logger?: Logger;
  /** Listen here instead of `config.host` (tests: the loopback). */
  host?: string;
  /** Replaces the reasoning provider chosen from config. */
  reasoning?: ReasoningProvider;
}

export async function startAura(config: AuraConfig, opts: AuraStartOptions = {}): Promise<Started> {
  const logger = opts.logger ?? createLogger('aura');
  const redis = createRedis(config.redis, 'aura', logger);
  const app = createApp({ config, logger, redis, ...(opts.reasoning ? { reasoning: opts.reasoning } : {}) });
  // The app first: its runs stop and hand over while their Redis connection is still there.
  const close = closeOnce([() => app.close(), async () => void redis.disconnect()]);
  const host = opts.host ?? config.host;
  try {
    await app.listen({ port: config.port, host });
  } catch (err) {
    await close();
    throw err;
  }
  return { url: reachableUrl(app.server, host), close };
}
