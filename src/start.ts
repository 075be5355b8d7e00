// `npm start`: the whole platform in one process on the contract's ports. One process because
// the default embedded database (PGlite) cannot be shared between processes; each service
// still has its own main.ts for running it alone against PostgreSQL.
import { isProduction } from './shared/config/env';
import { demoCredentialsText } from './shared/db/seed';
import { onShutdown } from './shared/lifecycle';
import { createLogger } from './shared/logger';
import { startPlatform } from './platform';

async function main() {
  const platform = await startPlatform(process.env);
  onShutdown(createLogger('platform'), [() => platform.close()]);
  const { urls } = platform;
  const lines = [
    '',
    'DWP platform is up:',
    `  workbench ${urls.gateway}/   (the web UI, served by the gateway)`,
    `  gateway  ${urls.gateway}   (the only entry: /api/**)`,
    `  auth     ${urls.auth}`,
    `  main     ${urls.main}`,
    `  aura     ${urls.aura}`,
    `  redis    ${platform.redisUrl} (${platform.redisSource})`,
    `  database ${platform.database.location} (${platform.database.kind})`,
  ];
  if (!isProduction(process.env)) lines.push('', demoCredentialsText());
  lines.push('', 'Ctrl-C stops everything.', '');
  process.stdout.write(lines.join('\n'));
}

main().catch((err) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
