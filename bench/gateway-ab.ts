// A/B of two gateway builds on the same fixed-JSON upstream, in one run, rounds alternating:
//   node --import tsx bench/gateway-ab.ts A=/path/to/old/src/gateway/main.ts B=src/gateway/main.ts
// Each label is a gateway entry point (GATEWAY_WORKERS=1, JWT on, no history), run from the
// nearest folder above it with a package.json; `label=entry?KEY=V&KEY2=W` adds environment
// variables for that target only. bench/gateway-floor.ts is a minimal node:http proxy (the floor
// for any gateway on node:http). Reports per round
// and as the median: requests/s and the gateway process's CPU µs per request (user + system,
// from /proc), with the load average. Not part of `bench:gateway`; for deciding a change.
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import autocannon from 'autocannon';
import { signToken } from '../src/shared/auth/jwt';
import { cpuOf, freePort, median, portFromChild } from './support';

const DURATION = Number(process.env.BENCH_DURATION ?? 5);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 50);
const SECRET = 'bench-secret-'.padEnd(48, 'x');
const children: ChildProcess[] = [];

function startUpstream(): Promise<number> {
  const child = spawn(process.execPath, ['--import', 'tsx', path.join(__dirname, 'gateway-upstream.ts')], { stdio: ['ignore', 'pipe', 'inherit'] });
  children.push(child);
  return portFromChild(child, 'gateway-upstream.ts');
}

function projectDir(entry: string): string {
  let dir = path.dirname(entry);
  while (!existsSync(path.join(dir, 'package.json')) && path.dirname(dir) !== dir) dir = path.dirname(dir);
  return dir;
}

async function startGateway(entry: string, env: Record<string, string>): Promise<{ port: number; pid: number }> {
  const port = await freePort();
  const child = spawn(process.execPath, ['--import', 'tsx', entry], {
    cwd: projectDir(entry),
    env: { ...process.env, ...env, GATEWAY_PORT: String(port), GATEWAY_WORKERS: '1', LOG_LEVEL: 'warn' },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  children.push(child);
  for (let i = 0; i < 200; i++) {
    try {
      await fetch(`http://127.0.0.1:${port}/health`);
      return { port, pid: child.pid! };
    } catch {
      await new Promise((r) => setTimeout(r, 50));
    }
  }
  throw new Error(`gateway ${entry} did not start`);
}

async function main() {
  const targets = process.argv.slice(2).map((a) => {
    const eq = a.indexOf('=');
    const [entry, query = ''] = a.slice(eq + 1).split('?');
    return { label: a.slice(0, eq), entry: path.resolve(entry), env: Object.fromEntries(new URLSearchParams(query)) };
  });
  const upstreamPort = await startUpstream();
  const upstream = `http://127.0.0.1:${upstreamPort}`;
  const env = { JWT_SECRET: SECRET, AURA_URL: upstream, MAIN_URL: upstream, AUTH_URL: upstream, NODE_ENV: 'production', DATABASE_URL: '' };
  const token = signToken(SECRET, { sub: 'bench-user', tenantId: 'bench', ttlSeconds: 3600 });
  const headers = { 'x-tenant-id': 'bench', authorization: `Bearer ${token}` };
  const gws = [];
  for (const t of targets) gws.push({ ...t, ...(await startGateway(t.entry, { ...env, ...t.env })) });
  const samples = new Map<string, { rps: number; cpuUs: number; sysShare: number }[]>(targets.map((t) => [t.label, []]));
  try {
    for (const g of gws) await autocannon({ url: `http://127.0.0.1:${g.port}/api/main/cases`, connections: CONNECTIONS, duration: 2, headers });
    for (let r = 0; r < ROUNDS; r++) {
      for (const g of r % 2 ? [...gws].reverse() : gws) {
        const cpu0 = cpuOf(g.pid);
        const res = await autocannon({ url: `http://127.0.0.1:${g.port}/api/main/cases`, connections: CONNECTIONS, duration: DURATION, headers });
        const cpu1 = cpuOf(g.pid);
        const user = cpu1.user - cpu0.user;
        const sys = cpu1.sys - cpu0.sys;
        const cpuUs = Math.round(((user + sys) * 1e6) / res.requests.total);
        const sysShare = Math.round((100 * sys) / (user + sys));
        const rps = Math.round(res.requests.average);
        samples.get(g.label)!.push({ rps, cpuUs, sysShare });
        console.log(`round ${r + 1} ${g.label}: ${rps} req/s, ${cpuUs} µs CPU/req (${sysShare}% system), non2xx ${res.non2xx}, errors ${res.errors}, load ${os.loadavg()[0].toFixed(2)}`);
      }
    }
  } finally {
    for (const c of children) c.kill('SIGTERM');
  }
  console.table(
    [...samples].map(([label, s]) => ({
      label,
      'median req/s': median(s.map((x) => x.rps)),
      'median CPU µs/req': median(s.map((x) => x.cpuUs)),
      'req/s samples': s.map((x) => x.rps).join(' '),
      'CPU µs samples': s.map((x) => x.cpuUs).join(' '),
      'median system %': median(s.map((x) => x.sysShare)),
    })),
  );
  console.log(`load average after: ${os.loadavg().map((x) => x.toFixed(2)).join(' ')}`);
}

main().catch((err) => {
  for (const c of children) c.kill('SIGKILL');
  console.error(err);
  process.exit(1);
});
