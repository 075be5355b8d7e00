// The whole platform in one process: four HTTP servers sharing one database and one Redis.
// `npm start` runs it on the contract's ports; tests run it on port 0.
import { loadAuraConfig } from './aura/config';
import { startAura } from './aura/start';
import { loadAuthConfig } from './auth/config';
import { startAuth } from './auth/start';
import { loadGatewayConfig } from './gateway/config';
import { startGateway } from './gateway/start';
import { loadMainConfig } from './main/config';
import { startMain } from './main/start';
import { type Env, isProduction, jwtSecret, redisTarget } from './shared/config/env';
import { openDatabase, type Database } from './shared/db/database';
import { seedDemo } from './shared/db/seed';
import { createLogger, type Logger } from './shared/logger';
import { ensureRedis } from './shared/redis/ensure-redis';
import type { RedisTarget } from './shared/redis/options';

export interface Platform {
  urls: { gateway: string; auth: string; main: string; aura: string };
  /** The Redis URL, or a description of the Sentinel target. */
  redisUrl: string;
  redisSource: string;
  /** What every connection of the platform was opened with. */
  redis: RedisTarget;
  database: Database;
  close(): Promise<void>;
}

export interface PlatformOptions {
  /** Seed the demo tenant, users and cases (default: outside production). */
  seed?: boolean;
  logLevel?: string;
  /** Listen on this address instead of each service's `*_HOST` (tests: the loopback). */
  host?: string;
}

export async function startPlatform(env: Env = process.env, opts: PlatformOptions = {}): Promise<Platform> {
  const log = (name: string): Logger => createLogger(name, opts.logLevel);
  const platformLog = log('platform');
  // Generated once here (development only) so all four services share it.
  jwtSecret(env, (m) => platformLog.warn(m));
  const configured = redisTarget(env);
  const redisInfo = await ensureRedis(configured.sentinels ? configured : env.REDIS_URL, platformLog);
  // Sentinel: every service finds the master itself; otherwise they share the server ensured here.
  const redis: RedisTarget = configured.sentinels ? configured : { ...configured, url: redisInfo.url };
  if (!configured.sentinels) env.REDIS_URL = redisInfo.url;

  const database = await openDatabase({ databaseUrl: env.DATABASE_URL, dataDir: env.PGLITE_DATA_DIR, logger: platformLog });
  if (opts.seed ?? !isProduction(env)) {
    const seeded = await seedDemo(database.db);
    platformLog.info({ seeded }, 'demo data ready');
  }

  const closers: (() => Promise<unknown>)[] = [];
  try {
    const auth = await startAuth(loadAuthConfig(env), { logger: log('auth'), database, host: opts.host });
    closers.push(auth.close);
    const aura = await startAura(loadAuraConfig(env), { logger: log('aura'), host: opts.host });
    closers.push(aura.close);
    // The backend calls Aura directly: point it at the Aura instance just started.
    const main = await startMain(loadMainConfig({ ...env, AURA_URL: env.AURA_URL ?? aura.url }), { logger: log('main'), database, host: opts.host });
    closers.push(main.close);
    const gwCfg = loadGatewayConfig({ ...env, AURA_URL: env.AURA_URL ?? aura.url, MAIN_URL: env.MAIN_URL ?? main.url, AUTH_URL: env.AUTH_URL ?? auth.url });
    // API call history goes to the backend's database, written in batches off the request path.
    const gateway = await startGateway(gwCfg, { logger: log('gateway'), database, host: opts.host });
    closers.push(gateway.close);

    let closed = false;
    return {
      urls: { gateway: gateway.url, auth: auth.url, main: main.url, aura: aura.url },
      redisUrl: redisInfo.url,
      redisSource: redisInfo.source,
      redis,
      database,
      close: async () => {
        if (closed) return;
        closed = true;
        // Reverse start order: the entry first, then services, then storage.
        for (const c of [...closers].reverse()) await c().catch((err) => platformLog.warn({ err }, 'error while closing'));
        await database.close();
        await redisInfo.stop();
      },
    };
  } catch (err) {
    for (const c of closers.reverse()) await c().catch(() => undefined);
    await database.close();
    await redisInfo.stop();
    throw err;
  }
}
