// The whole platform in one process: four HTTP servers sharing one database and one Redis.
// `npm start` runs it on the contract's ports; tests run it on port 0.
import type { ServiceApp } from './shared/http/service-app';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createApp as createAuraApp } from './aura/app';
import { loadAuraConfig } from './aura/config';
import { createApp as createAuthApp } from './auth/app';
import { loadAuthConfig } from './auth/config';
import { createApp as createGatewayApp } from './gateway/app';
import { loadGatewayConfig } from './gateway/config';
import { KyselyHistorySink } from './gateway/history-kysely';
import { createMetrics as createGatewayMetrics } from './gateway/metrics';
import { createApp as createMainApp } from './main/app';
import { loadMainConfig } from './main/config';
import { startMainNotifications } from './main/notifications/wiring';
import { type Env, isProduction, jwtSecret, redisTarget } from './shared/config/env';
import { openDatabase, type Database } from './shared/db/database';
import { seedDemo } from './shared/db/seed';
import { createLogger, type Logger } from './shared/logger';
import { createRedis } from './shared/redis/connection';
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

/** Where the other services reach one: its own address, or the loopback when it listens on all. */
function urlOf(server: Server, host: string): string {
  const reachable = host === '0.0.0.0' || host === '::' ? '127.0.0.1' : host.includes(':') ? `[${host}]` : host;
  return `http://${reachable}:${(server.address() as AddressInfo).port}`;
}

async function listenService(app: ServiceApp, port: number, host: string): Promise<string> {
  await app.listen({ port, host });
  return urlOf(app.server, host);
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
    const authCfg = loadAuthConfig(env);
    const auth = createAuthApp({ config: authCfg, logger: log('auth'), db: database.db, dbKind: database.kind });
    const authUrl = await listenService(auth, authCfg.port, opts.host ?? authCfg.host);
    closers.push(() => auth.close());

    const auraCfg = loadAuraConfig(env);
    const auraRedis = createRedis(redis, 'aura', log('aura'));
    closers.push(async () => auraRedis.disconnect());
    const aura = createAuraApp({ config: auraCfg, logger: log('aura'), redis: auraRedis });
    const auraUrl = await listenService(aura, auraCfg.port, opts.host ?? auraCfg.host);
    closers.push(() => aura.close());

    // The backend calls Aura directly: point it at the Aura instance just started.
    const mainCfg = loadMainConfig({ ...env, AURA_URL: env.AURA_URL ?? auraUrl });
    const mainRedis = createRedis(redis, 'main', log('main'));
    closers.push(async () => mainRedis.disconnect());
    // The workbench subscriber (PSUBSCRIBE WORKBENCH_PATTERN) and the outbox reader feed the
    // main app's notification streams.
    const mainNotifications = startMainNotifications({ db: database.db, redisUrl: redis, logger: log('main'), outboxSweepMs: mainCfg.outboxSweepMs });
    closers.push(() => mainNotifications.subscriber.close());
    const mainApp = createMainApp({ config: mainCfg, logger: log('main'), db: database.db, dbKind: database.kind, redis: mainRedis, ...mainNotifications });
    const mainUrl = await listenService(mainApp, mainCfg.port, opts.host ?? mainCfg.host);
    closers.push(() => mainApp.close());

    const gwCfg = loadGatewayConfig({
      ...env,
      AURA_URL: env.AURA_URL ?? auraUrl,
      MAIN_URL: env.MAIN_URL ?? mainUrl,
      AUTH_URL: env.AUTH_URL ?? authUrl,
    });
    const gwLogger = log('gateway');
    const gwMetrics = createGatewayMetrics();
    // API call history goes to the backend's database, written in batches off the request path.
    const gwHistory = new KyselyHistorySink(database.db, { ...gwCfg.history, counters: gwMetrics.historyCounters, logger: gwLogger });
    closers.push(() => gwHistory.close());
    const gateway = createGatewayApp({ config: gwCfg, logger: gwLogger, history: gwHistory, metrics: gwMetrics });
    await new Promise<void>((resolve, reject) => {
      gateway.once('error', reject);
      gateway.listen(gwCfg.port, opts.host ?? gwCfg.host, gwCfg.listenBacklog, () => resolve());
    });
    closers.push(
      () =>
        new Promise((r) => {
          gateway.close(() => r(undefined));
          // Open SSE streams would hold close() until they end.
          gateway.closeAllConnections();
        }),
    );
    const gatewayUrl = urlOf(gateway, opts.host ?? gwCfg.host);

    let closed = false;
    return {
      urls: { gateway: gatewayUrl, auth: authUrl, main: mainUrl, aura: auraUrl },
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
