// `npm start`: the whole platform in one process — four HTTP servers on their own ports.
// One process because the default embedded database (PGlite) cannot be shared between
// processes; each service still has its own main.ts for running it alone.
import { createApp as createAuraApp } from './aura/app';
import { loadAuraConfig } from './aura/config';
import { createApp as createAuthApp } from './auth/app';
import { loadAuthConfig } from './auth/config';
import { createApp as createGatewayApp } from './gateway/app';
import { loadGatewayConfig } from './gateway/config';
import { createApp as createMainApp } from './main/app';
import { loadMainConfig } from './main/config';
import { isProduction, jwtSecret } from './shared/config/env';
import { openDatabase } from './shared/db/database';
import { demoCredentialsText, seedDemo } from './shared/db/seed';
import { onShutdown } from './shared/lifecycle';
import { createLogger } from './shared/logger';
import { createRedis } from './shared/redis/connection';
import { ensureRedis } from './shared/redis/ensure-redis';

async function main() {
  const log = createLogger('platform');
  const env = process.env;
  // Generated once here (development only) so all four services share it.
  jwtSecret(env, (m) => log.warn(m));
  const redisInfo = await ensureRedis(env.REDIS_URL, log);
  env.REDIS_URL = redisInfo.url;

  const database = await openDatabase({ databaseUrl: env.DATABASE_URL, dataDir: env.PGLITE_DATA_DIR, logger: log });
  if (!isProduction(env)) {
    const seeded = await seedDemo(database.db);
    log.info({ seeded }, 'demo data ready');
  }

  const authCfg = loadAuthConfig(env);
  const mainCfg = loadMainConfig(env);
  const auraCfg = loadAuraConfig(env);
  const gwCfg = loadGatewayConfig(env);

  const mainRedis = createRedis(redisInfo.url, 'main', createLogger('main'));
  const auraRedis = createRedis(redisInfo.url, 'aura', createLogger('aura'));

  const auth = createAuthApp({ config: authCfg, logger: createLogger('auth'), db: database.db, dbKind: database.kind });
  const mainApp = createMainApp({ config: mainCfg, logger: createLogger('main'), db: database.db, dbKind: database.kind, redis: mainRedis });
  const aura = createAuraApp({ config: auraCfg, logger: createLogger('aura'), redis: auraRedis });
  const gateway = createGatewayApp({ config: gwCfg, logger: createLogger('gateway') });

  await auth.listen({ port: authCfg.port, host: '0.0.0.0' });
  await mainApp.listen({ port: mainCfg.port, host: '0.0.0.0' });
  await aura.listen({ port: auraCfg.port, host: '0.0.0.0' });
  await new Promise<void>((resolve, reject) => {
    gateway.once('error', reject);
    gateway.listen(gwCfg.port, '0.0.0.0', () => resolve());
  });

  onShutdown(log, [
    () => new Promise((r) => gateway.close(r)),
    () => aura.close(),
    () => mainApp.close(),
    () => auth.close(),
    async () => {
      mainRedis.disconnect();
      auraRedis.disconnect();
    },
    () => database.close(),
    () => redisInfo.stop(),
  ]);

  const lines = [
    '',
    'DWP platform is up:',
    `  gateway  http://127.0.0.1:${gwCfg.port}   (the only entry: /api/**)`,
    `  auth     http://127.0.0.1:${authCfg.port}`,
    `  main     http://127.0.0.1:${mainCfg.port}`,
    `  aura     http://127.0.0.1:${auraCfg.port}`,
    `  redis    ${redisInfo.url} (${redisInfo.source})`,
    `  database ${database.location} (${database.kind})`,
  ];
  if (!isProduction(env)) lines.push('', demoCredentialsText());
  lines.push('', 'Ctrl-C stops everything.', '');
  process.stdout.write(lines.join('\n'));
}

main().catch((err) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
