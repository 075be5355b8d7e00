// `npm run contract:check`: spec lint, generation drift, Pact consumer tests (which rewrite the
// pacts under contracts/), a check that the committed pacts are those, provider verification,
// and every pact against the specs. Steps run in order; the first failure stops the run.
import { spawnSync } from 'node:child_process';
import { readdirSync, rmSync } from 'node:fs';
import path from 'node:path';

const root = path.resolve(__dirname, '..');
const contracts = path.join(root, 'contracts');
const env = { ...process.env, PACT_DO_NOT_TRACK: 'true' };
const pactJest = ['run', 'jest', '--', '-c', 'test/contract/pact/jest.config.js'];

function run(title: string, cmd: string, args: string[]): void {
  const started = Date.now();
  console.log(`\n▶ ${title}`);
  const r = spawnSync(cmd, args, { cwd: root, env, stdio: 'inherit' });
  if (r.status !== 0) {
    console.error(`\n✗ contract:check failed at: ${title}`);
    process.exit(r.status ?? 1);
  }
  console.log(`✓ ${title} (${((Date.now() - started) / 1000).toFixed(1)} s)`);
}

run('generated code matches the specs', 'npm', ['run', 'generate:check']);
run('spec lint (Redocly, AsyncAPI parser, every example)', 'npm', ['run', 'lint:specs']);
// Fresh pacts: merging into old files would keep interactions the consumers no longer have.
for (const f of readdirSync(contracts).filter((n) => n.endsWith('.json'))) rmSync(path.join(contracts, f));
run('pact consumer tests (write contracts/*.json)', 'npm', [...pactJest, 'test/contract/pact/consumer']);
if (spawnSync('git', ['rev-parse', '--is-inside-work-tree'], { cwd: root }).status === 0) {
  run('the committed pacts are the ones the consumer tests write', 'git', ['diff', '--exit-code', '--stat', '--', 'contracts']);
}
run('pact provider verification (real Aura, platform behind the gateway, messages captured from the running services, broken providers)', 'npm', [...pactJest, 'test/contract/pact/provider']);
run('every pact against openapi.yaml / asyncapi.yaml', 'npx', ['tsx', 'scripts/contract-pacts-vs-spec.ts']);
console.log('\ncontract:check passed');
