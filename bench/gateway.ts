// `npm run bench:gateway`: the same fixed-JSON upstream measured directly, through the gateway
// (JWT verification on; with and without API call history to PostgreSQL) and through nginx as
// a plain reverse proxy, in one run on this machine. Prints a table, writes bench/results/gateway.json.
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, writeFileSync, mkdirSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import autocannon from 'autocannon';
import { signToken } from '../src/shared/auth/jwt';
import { createTestDatabase } from '../test/support/pg';

const DURATION = Number(process.env.BENCH_DURATION ?? 5);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 50);
const SECRET = 'bench-secret-'.padEnd(48, 'x');
const children: ChildProcess[] = [];

function startChild(cmd: string, args: string[], env: Record<string, string> = {}): Promise<number> {
  const child = spawn(cmd, args, { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'inherit'] });
  children.push(child);
  return new Promise((resolve, reject) => {
    let buf = '';
    child.stdout!.on('data', (d: Buffer) => {
      buf += d.toString();
      const m = /\{"port":(\d+)\}/.exec(buf);
      if (m) resolve(Number(m[1]));
    });
    child.once('exit', (code) => reject(new Error(`${cmd} ${args.join(' ')} exited with ${code}`)));
  });
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

async function freePort(): Promise<number> {
  const net = await import('node:net');
  return new Promise((resolve) => {
    const s = net.createServer();
    s.listen(0, '127.0.0.1', () => {
      const p = (s.address() as { port: number }).port;
      s.close(() => resolve(p));
    });
  });
}

async function startNginx(upstreamPort: number): Promise<number> {
  const bin = ensureNginx();
  const dir = mkdtempSync(path.join(os.tmpdir(), 'bench-nginx-'));
  mkdirSync(path.join(dir, 'logs'));
  const port = await freePort();
  // One worker, like the single gateway process; access log off on both sides.
  const conf = `
worker_processes 1;
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
      return port;
    } catch {
      await new Promise((r) => setTimeout(r, 50));
    }
  }
  throw new Error('nginx did not start');
}

interface Row {
  target: string;
  requestsPerSec: number;
  p50Ms: number;
  p99Ms: number;
  errors: number;
  non2xx: number;
}

async function measure(target: string, url: string, headers: Record<string, string> = {}): Promise<Row> {
  // Short warm-up (JIT, keep-alive pools), then the measured run.
  await autocannon({ url, connections: CONNECTIONS, duration: 1, headers });
  const r = await autocannon({ url, connections: CONNECTIONS, duration: DURATION, headers });
  return {
    target,
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
  const gwEnv = { JWT_SECRET: SECRET, GATEWAY_PORT: '0', AURA_URL: upstream, MAIN_URL: upstream, AUTH_URL: upstream, NODE_ENV: 'production' };
  const gwPort = await tsNode('gateway-proc.ts', gwEnv);
  const db = await createTestDatabase();
  const gwHistPort = await tsNode('gateway-proc.ts', { ...gwEnv, BENCH_HISTORY_DB: db.url });
  const nginxPort = await startNginx(upstreamPort);
  const token = signToken(SECRET, { sub: 'bench-user', tenantId: 'bench', ttlSeconds: 3600 });
  const auth = { 'x-tenant-id': 'bench', authorization: `Bearer ${token}` };

  const rows: Row[] = [];
  try {
    rows.push(await measure('direct (upstream)', `${upstream}/main/cases`));
    rows.push(await measure('nginx (plain reverse proxy)', `http://127.0.0.1:${nginxPort}/api/main/cases`, auth));
    rows.push(await measure('gateway (JWT on)', `http://127.0.0.1:${gwPort}/api/main/cases`, auth));
    rows.push(await measure('gateway (JWT on + history to PostgreSQL)', `http://127.0.0.1:${gwHistPort}/api/main/cases`, auth));
  } finally {
    for (const c of children) c.kill('SIGTERM');
    await new Promise((r) => setTimeout(r, 300));
    await db.drop().catch(() => undefined);
  }
  const nginx = rows[1].requestsPerSec;
  const gw = rows[2].requestsPerSec;
  const result = {
    machine: { cpus: os.cpus().length, node: process.version, note: 'load generator, upstream and proxy share these cores' },
    settings: { durationSeconds: DURATION, connections: CONNECTIONS, tool: 'autocannon' },
    rows,
    ratio: { gatewayToNginx: Number((gw / nginx).toFixed(3)), target: 0.6, met: gw / nginx >= 0.6 },
  };
  console.log('');
  console.table(rows.map((r) => ({ target: r.target, 'req/s': r.requestsPerSec, 'p50 ms': r.p50Ms, 'p99 ms': r.p99Ms, errors: r.errors, non2xx: r.non2xx })));
  console.log(`gateway / nginx requests/s: ${result.ratio.gatewayToNginx} (target ≥ 0.6: ${result.ratio.met ? 'met' : 'NOT met'})`);
  mkdirSync(path.join(__dirname, 'results'), { recursive: true });
  writeFileSync(path.join(__dirname, 'results', 'gateway.json'), `${JSON.stringify(result, null, 2)}\n`);
}

main().catch((err) => {
  for (const c of children) c.kill('SIGKILL');
  console.error(err);
  process.exit(1);
});
