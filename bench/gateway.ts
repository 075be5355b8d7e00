// `npm run bench:gateway`: the same fixed-JSON upstream measured directly, through the gateway
// (JWT verification on; with and without API call history to PostgreSQL) and through nginx as
// a plain reverse proxy, in one run on this machine, BENCH_ROUNDS (3) rounds taken in turn,
// the median reported. Prints a table, writes bench/results/gateway.json.
// The gateway is the real entry point (src/gateway/main.ts). Each comparison gives nginx and
// the gateway the same number of processes: BENCH_WORKERS (default "1,2") lists the counts,
// nginx `worker_processes N` against GATEWAY_WORKERS=N. Besides requests/s, the CPU time the
// proxy's processes used per request (user + system, from /proc) is reported: it depends far
// less than requests/s on what else the shared machine is doing.
import { cpuOf, descendants, freePort, portFromChild } from './support';
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, writeFileSync, mkdirSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import autocannon from 'autocannon';
import { signToken } from '../src/shared/auth/jwt';
import { createTestDatabase } from '../test/support/pg';

const DURATION = Number(process.env.BENCH_DURATION ?? 5);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 50);
const WORKER_COUNTS = (process.env.BENCH_WORKERS ?? '1,2').split(',').map(Number);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const SECRET = 'bench-secret-'.padEnd(48, 'x');
const children: ChildProcess[] = [];

function startChild(cmd: string, args: string[], env: Record<string, string> = {}): Promise<number> {
  const child = spawn(cmd, args, { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'inherit'] });
  children.push(child);
  return portFromChild(child, `${cmd} ${args.join(' ')}`);
}

const tsNode = (file: string, env: Record<string, string> = {}) =>
  startChild(process.execPath, ['--import', 'tsx', path.join(__dirname, file)], env);

function ensureNginx(): string {
  for (const p of ['/usr/sbin/nginx', '/usr/bin/nginx']) {
    try {
      execFileSync(p, ['-v'], { stdio: 'ignore' });
      return p;
    } catch {
      /* not there */
    }
  }
  console.log('nginx not found: installing it from Debian (apt-get install -y nginx)…');
  execFileSync('apt-get', ['install', '-y', '--no-install-recommends', 'nginx'], { stdio: 'inherit' });
  return '/usr/sbin/nginx';
}

async function startNginx(upstreamPort: number, workers: number): Promise<{ port: number; pid: number }> {
  const bin = ensureNginx();
  const dir = mkdtempSync(path.join(os.tmpdir(), 'bench-nginx-'));
  mkdirSync(path.join(dir, 'logs'));
  const port = await freePort();
  // As many workers as gateway processes; access log off on both sides.
  const conf = `
worker_processes ${workers};
error_log ${dir}/logs/error.log warn;
pid ${dir}/nginx.pid;
events { worker_connections 4096; }
http {
  access_log off;
  client_body_temp_path ${dir}/body; proxy_temp_path ${dir}/proxy;
  fastcgi_temp_path ${dir}/fcgi; uwsgi_temp_path ${dir}/uwsgi; scgi_temp_path ${dir}/scgi;
  upstream backend { server 127.0.0.1:${upstreamPort}; keepalive 64; }
  server {
    listen 127.0.0.1:${port};
    location /api/ {
      proxy_pass http://backend/;
      proxy_http_version 1.1;
      proxy_set_header Connection "";
      proxy_set_header Host $host;
    }
  }
}`;
  writeFileSync(path.join(dir, 'nginx.conf'), conf);
  const child = spawn(bin, ['-p', dir, '-c', path.join(dir, 'nginx.conf'), '-g', 'daemon off;'], { stdio: 'inherit' });
  children.push(child);
  // Ready when it accepts a request.
  for (let i = 0; i < 100; i++) {
    try {
      await fetch(`http://127.0.0.1:${port}/api/main/cases`);
      return { port, pid: child.pid! };
    } catch {
      await new Promise((r) => setTimeout(r, 50));
    }
  }
  throw new Error('nginx did not start');
}

/** The gateway's real entry point, GATEWAY_WORKERS=workers; resolves when every worker listens. */
async function startGateway(env: Record<string, string>, workers: number): Promise<{ port: number; pid: number }> {
  const port = await freePort();
  const child = spawn(process.execPath, ['--import', 'tsx', path.join(__dirname, '../src/gateway/main.ts')], {
    env: { ...process.env, ...env, GATEWAY_PORT: String(port), GATEWAY_WORKERS: String(workers), LOG_LEVEL: 'warn' },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  children.push(child);
  await new Promise<void>((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`gateway exited with ${code}`)));
    child.stdout!.resume();
    const poll = async () => {
      try {
        // Every worker must be up: probe until distinct processes have answered (fresh connections).
        await fetch(`http://127.0.0.1:${port}/health`, { headers: { connection: 'close' } });
        if (descendants(child.pid!).length >= (workers > 1 ? workers : 0)) return resolve();
      } catch {
        /* not listening yet */
      }
      setTimeout(poll, 50);
    };
    void poll();
  });
  await new Promise((r) => setTimeout(r, 500));
  return { port, pid: child.pid! };
}

/** User + system CPU seconds of pid and its children. */
function cpuSeconds(pid: number): number {
  const c = cpuOf(pid, true);
  return c.user + c.sys;
}

interface Row {
  target: string;
  workers: number | null;
  /** CPU time the proxy's processes used per request, user + system (µs). */
  proxyCpuUsPerRequest: number | null;
  requestsPerSec: number;
  p50Ms: number;
  p99Ms: number;
  errors: number;
  non2xx: number;
  /** Requests/s of every round (the row is the median round). */
  samples?: number[];
}

/** The round with the median requests/s, with every round's requests/s beside it. */
function medianRow(rounds: Row[]): Row {
  const sorted = [...rounds].sort((a, b) => a.requestsPerSec - b.requestsPerSec);
  return { ...sorted[Math.floor(sorted.length / 2)], samples: rounds.map((r) => r.requestsPerSec) };
}

async function measure(target: string, url: string, headers: Record<string, string> = {}, proxy?: { pid: number; workers: number }): Promise<Row> {
  // Short warm-up (JIT, keep-alive pools), then the measured run.
  await autocannon({ url, connections: CONNECTIONS, duration: 1, headers });
  const cpu0 = proxy ? cpuSeconds(proxy.pid) : 0;
  const r = await autocannon({ url, connections: CONNECTIONS, duration: DURATION, headers });
  const cpu = proxy ? cpuSeconds(proxy.pid) - cpu0 : 0;
  return {
    target,
    workers: proxy?.workers ?? null,
    proxyCpuUsPerRequest: proxy ? Math.round((cpu * 1e6) / r.requests.total) : null,
    requestsPerSec: Math.round(r.requests.average),
    p50Ms: r.latency.p50,
    p99Ms: r.latency.p99,
    errors: r.errors + r.timeouts,
    non2xx: r.non2xx,
  };
}

async function main() {
  const upstreamPort = await tsNode('gateway-upstream.ts');
  const upstream = `http://127.0.0.1:${upstreamPort}`;
  const gwEnv = { JWT_SECRET: SECRET, AURA_URL: upstream, MAIN_URL: upstream, AUTH_URL: upstream, NODE_ENV: 'production', DATABASE_URL: '' };
  const db = await createTestDatabase();
  const token = signToken(SECRET, { sub: 'bench-user', tenantId: 'bench', ttlSeconds: 3600 });
  const auth = { 'x-tenant-id': 'bench', authorization: `Bearer ${token}` };
  const load = () => os.loadavg().map((x) => Number(x.toFixed(2)));
  const loadBefore = load();

  const rows: Row[] = [];
  const comparisons: { workers: number; nginx: number; gateway: number; ratio: number; met: boolean; nginxCpuUs: number; gatewayCpuUs: number }[] = [];
  try {
    rows.push(await measure('direct (upstream)', `${upstream}/main/cases`));
    for (const n of WORKER_COUNTS) {
      const nginx = await startNginx(upstreamPort, n);
      const gw = await startGateway(gwEnv, n);
      const gwHist = await startGateway({ ...gwEnv, DATABASE_URL: db.url }, n);
      // ROUNDS rounds, the three targets in turn, and the median round of each: a single run
      // on a shared 2-core machine swings with whatever else it is doing.
      const samples: Row[][] = [[], [], []];
      const s = n > 1 ? 's' : '';
      for (let round = 0; round < ROUNDS; round++) {
        samples[0].push(await measure(`nginx (plain reverse proxy), ${n} worker${s}`, `http://127.0.0.1:${nginx.port}/api/main/cases`, auth, { pid: nginx.pid, workers: n }));
        samples[1].push(await measure(`gateway (JWT on), ${n} worker${s}`, `http://127.0.0.1:${gw.port}/api/main/cases`, auth, { pid: gw.pid, workers: n }));
        samples[2].push(await measure(`gateway (JWT on + history to PostgreSQL), ${n} worker${s}`, `http://127.0.0.1:${gwHist.port}/api/main/cases`, auth, { pid: gwHist.pid, workers: n }));
      }
      const [ng, g, gh] = samples.map(medianRow);
      rows.push(ng, g, gh);
      const ratio = Number((g.requestsPerSec / ng.requestsPerSec).toFixed(3));
      comparisons.push({ workers: n, nginx: ng.requestsPerSec, gateway: g.requestsPerSec, ratio, met: ratio >= 0.6, nginxCpuUs: ng.proxyCpuUsPerRequest!, gatewayCpuUs: g.proxyCpuUsPerRequest! });
      for (const pid of [nginx.pid, gw.pid, gwHist.pid]) {
        try {
          process.kill(pid, 'SIGTERM');
        } catch {
          /* gone */
        }
      }
      await new Promise((r) => setTimeout(r, 500));
    }
  } finally {
    for (const c of children) c.kill('SIGTERM');
    await new Promise((r) => setTimeout(r, 300));
    await db.drop().catch(() => undefined);
  }
  const result = {
    machine: {
      cpus: os.cpus().length,
      node: process.version,
      loadAverage: { before: loadBefore, after: load() },
      note: 'load generator, upstream and proxy share these cores; the gateway runs under tsx as `npm start` does',
    },
    settings: { durationSeconds: DURATION, connections: CONNECTIONS, rounds: ROUNDS, tool: 'autocannon', workerCounts: WORKER_COUNTS },
    rows,
    comparisons,
    target: 'gateway (JWT on) requests/s ≥ 0.6 × nginx with the same number of processes',
  };
  console.log('');
  console.table(
    rows.map((r) => ({
      target: r.target,
      'req/s': r.requestsPerSec,
      'p50 ms': r.p50Ms,
      'p99 ms': r.p99Ms,
      'proxy CPU µs/req': r.proxyCpuUsPerRequest ?? '',
      errors: r.errors,
      non2xx: r.non2xx,
    })),
  );
  for (const c of comparisons) {
    console.log(
      `${c.workers} worker(s) each: gateway / nginx requests/s ${c.ratio} (target ≥ 0.6: ${c.met ? 'met' : 'NOT met'}); proxy CPU per request ${c.gatewayCpuUs} µs vs ${c.nginxCpuUs} µs`,
    );
  }
  console.log(`load average before ${loadBefore.join(' ')}, after ${result.machine.loadAverage.after.join(' ')}`);
  mkdirSync(path.join(__dirname, 'results'), { recursive: true });
  writeFileSync(path.join(__dirname, 'results', 'gateway.json'), `${JSON.stringify(result, null, 2)}\n`);
}

main().catch((err) => {
  for (const c of children) c.kill('SIGKILL');
  console.error(err);
  process.exit(1);
});
