// Shared by the client tests: the platform they run against, and running a build or test tool of another
// language asynchronously (the platform under test serves from this same process), failing with the tool's
// whole output when it fails.
import { spawn } from 'node:child_process';
import path from 'node:path';
import { startTestPlatform } from '../e2e/platform';
import { testRedisUrl } from '../support/redis';

export const ROOT = path.resolve(__dirname, '../..');

/** Starts the platform (port 0, its own database) for this file; returns the environment the tools get. */
export function usePlatform(): () => Record<string, string> {
  let env: Awaited<ReturnType<typeof startTestPlatform>> | undefined;
  beforeAll(async () => {
    env = await startTestPlatform();
  });
  afterAll(async () => {
    await env?.stop();
  });
  return () => ({
    GATEWAY_URL: env!.platform.urls.gateway,
    REDIS_URL: testRedisUrl(),
    DWP_USERNAME: 'approver',
    DWP_PASSWORD: 'approver-pass',
    DWP_TENANT: 'acme',
  });
}

export function runTool(cmd: string, args: string[], env: Record<string, string> = {}, cwd = ROOT): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { cwd, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (d: Buffer) => (output += d.toString()));
    child.stderr.on('data', (d: Buffer) => (output += d.toString()));
    child.on('error', (err) => reject(new Error(`${cmd} ${args.join(' ')}: ${err.message}`)));
    child.on('close', (code) => {
      if (code === 0) resolve(output);
      else reject(new Error(`${cmd} ${args.join(' ')} exited with ${code}:\n${output}`));
    });
  });
}
