// Schemathesis over every operation the gateway serves, against the real platform: generated valid
// and invalid requests, the stateful links of openapi.yaml, and each answer checked against the
// contract (status code, content type, headers, body schema; no 5xx but an upstream's 502/503/504).
// Settings are in schemathesis.toml beside this file; `npm run fuzz` runs this file alone.
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { operations } from '../../generated/server/operations';
import { startTestPlatform } from '../e2e/platform';

// Pinned: a new release brings new checks and generators, which belongs in a change of its own.
const SCHEMATHESIS_VERSION = '4.32.5';
const ROOT = path.resolve(__dirname, '../..');
const VENV = path.join(ROOT, '.cache', 'schemathesis-venv');
const ST = path.join(VENV, 'bin', 'st');

jest.setTimeout(8 * 60_000);

function run(cmd: string, args: string[], env: Record<string, string> = {}): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve, reject) => {
    // Asynchronous: the platform under test serves from this same process.
    const child = spawn(cmd, args, { cwd: ROOT, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (d: Buffer) => (output += d.toString()));
    child.stderr.on('data', (d: Buffer) => (output += d.toString()));
    child.on('error', (err) => reject(new Error(`${cmd} ${args.join(' ')}: ${err.message}`)));
    child.on('close', (code) => resolve({ code, output }));
  });
}

async function must(cmd: string, args: string[]): Promise<string> {
  const r = await run(cmd, args);
  if (r.code !== 0) throw new Error(`${cmd} ${args.join(' ')} exited with ${r.code}:\n${r.output}`);
  return r.output;
}

/** The pinned CLI, installed into its venv on first use (a missing python3 fails the test). */
async function ensureSchemathesis(): Promise<void> {
  if (existsSync(ST) && (await run(ST, ['--version'])).output.includes(SCHEMATHESIS_VERSION)) return;
  if (!existsSync(path.join(VENV, 'bin', 'python'))) await must('python3', ['-m', 'venv', VENV]);
  await must(path.join(VENV, 'bin', 'python'), ['-m', 'pip', 'install', '--quiet', '--disable-pip-version-check', `schemathesis==${SCHEMATHESIS_VERSION}`]);
}

let env: Awaited<ReturnType<typeof startTestPlatform>>;
beforeAll(async () => {
  env = await startTestPlatform();
});
afterAll(async () => {
  await env?.stop();
});

test('every gateway operation answers generated requests as openapi.yaml says', async () => {
  await ensureSchemathesis();
  const gateway = env.platform.urls.gateway;
  const login = await fetch(`${gateway}/api/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username: 'approver', password: 'approver-pass', tenantId: 'acme' }),
  });
  expect(login.status).toBe(200);
  const token = ((await login.json()) as { data: { accessToken: string } }).data.accessToken;

  const args = ['--config-file', 'test/fuzz/schemathesis.toml', 'run', 'openapi.yaml', '--url', gateway, '-H', `Authorization: Bearer ${token}`, '--no-color'];
  // A failure prints its seed; FUZZ_SEED=<seed> npm run fuzz generates the same requests again.
  if (process.env.FUZZ_SEED) args.push('--seed', process.env.FUZZ_SEED);
  const started = Date.now();
  const r = await run(ST, args);
  if (r.code !== 0) throw new Error(`schemathesis exited with ${r.code} after ${Math.round((Date.now() - started) / 1000)} s:\n${r.output}`);
  // Every operation the gateway serves, so a filter in schemathesis.toml cannot quietly drop one.
  const served = Object.values(operations).filter((op) => !op.direct && op.audience !== 'internal').length;
  expect(r.output).toContain(`Tested: ${served}\n`);
});
