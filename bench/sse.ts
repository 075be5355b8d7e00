// `npm run bench:sse`: the SSE relay measured on this machine, direct vs through the gateway, in
// one run: one stream of 100,000 small events; 2,000 concurrent streams; added latency per
// event; gateway memory per open idle stream; then 10,000 idle streams through the gateway for
// BENCH_IDLE_SECONDS (60) with heartbeats flowing — memory and drops. Clients, upstreams and
// gateway workers are separate processes so none holds more than ~15,000 sockets.
// Prints a table, writes bench/results/sse.json.
import { median, portFromChild } from './support';
import { type ChildProcess, fork } from 'node:child_process';
import http from 'node:http';
import { mkdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { signToken } from '../src/shared/auth/jwt';

const SECRET = 'bench-secret-'.padEnd(48, 'x');
const IDLE_SECONDS = Number(process.env.BENCH_IDLE_SECONDS ?? 60);
const IDLE_STREAMS = Number(process.env.BENCH_IDLE_STREAMS ?? 10_000);
const HEARTBEAT_MS = 5_000;
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 5);
const children: ChildProcess[] = [];
const token = signToken(SECRET, { sub: 'bench-user', tenantId: 'bench', ttlSeconds: 7200 });
const AUTH = { 'x-tenant-id': 'bench', authorization: `Bearer ${token}` };
const MB = 1024 * 1024;

function start(file: string, env: Record<string, string> = {}, execArgv: string[] = []): Promise<{ port: number; child: ChildProcess }> {
  const child = fork(path.join(__dirname, file), [], {
    env: { ...process.env, ...env },
    execArgv: ['--import', 'tsx', ...execArgv],
    stdio: ['ignore', 'pipe', 'inherit', 'ipc'],
  });
  children.push(child);
  return portFromChild(child, file).then((port) => ({ port, child }));
}

function ask<T>(child: ChildProcess, msg: string, key: string): Promise<T> {
  return new Promise((resolve) => {
    const on = (m: Record<string, unknown>) => {
      if (m && key in m) {
        child.off('message', on);
        resolve(m[key] as T);
      }
    };
    child.on('message', on);
    child.send(msg);
  });
}

/** Reads one stream to its end; returns events seen, elapsed ms and per-event latencies (tick streams). */
function readStream(url: string, headers: Record<string, string>, agent: http.Agent | false = false) {
  return new Promise<{ events: number; ms: number; latencies: number[] }>((resolve, reject) => {
    const t0 = performance.now();
    const u = new URL(url);
    const latencies: number[] = [];
    let events = 0;
    let tail = '';
    const req = http.get({ hostname: u.hostname, port: u.port, path: u.pathname + u.search, headers, agent }, (res) => {
      if (res.statusCode !== 200) return reject(new Error(`${url} answered ${res.statusCode}`));
      res.setEncoding('latin1');
      res.on('data', (c: string) => {
        const at = performance.timeOrigin + performance.now();
        const text = tail + c;
        const frames = text.split('\n\n');
        tail = frames.pop()!;
        for (const f of frames) {
          if (!f.startsWith('id:')) continue;
          events++;
          const m = /"t":([0-9.]+)/.exec(f);
          if (m) latencies.push(at - Number(m[1]));
        }
      });
      res.on('end', () => resolve({ events, ms: performance.now() - t0, latencies }));
      res.on('error', reject);
    });
    req.on('error', reject);
  });
}

const pct = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))];
};
const r2 = (x: number) => Math.round(x * 100) / 100;

async function concurrent(base: string, headers: Record<string, string>, streams: number, perStream: number) {
  const agent = new http.Agent({ keepAlive: false, maxSockets: Infinity });
  const t0 = performance.now();
  const all: Promise<{ events: number }>[] = [];
  for (let i = 0; i < streams; i++) all.push(readStream(`${base}/streams/burst?n=${perStream}`, headers, agent));
  const results = await Promise.all(all);
  const ms = performance.now() - t0;
  const events = results.reduce((a, r) => a + r.events, 0);
  agent.destroy();
  return { events, ms, eventsPerSec: Math.round(events / (ms / 1000)) };
}

async function main() {
  const upA = await start('sse-upstream.ts', { BENCH_HEARTBEAT_MS: String(HEARTBEAT_MS) });
  const upB = await start('sse-upstream.ts', { BENCH_HEARTBEAT_MS: String(HEARTBEAT_MS) });
  const a = `http://127.0.0.1:${upA.port}`;
  const b = `http://127.0.0.1:${upB.port}`;
  const gwEnv = { JWT_SECRET: SECRET, GATEWAY_PORT: '0', MAIN_URL: a, AUTH_URL: a, NODE_ENV: 'production' };
  const gw = await start('gateway-proc.ts', { ...gwEnv, AURA_URL: a }, ['--expose-gc']);
  const direct = `${a}/aura`;
  const viaGw = `http://127.0.0.1:${gw.port}/api/aura`;

  const rows: Record<string, unknown>[] = [];
  const result: Record<string, unknown> = {
    machine: { cpus: os.cpus().length, node: process.version, loadAverageAtStart: os.loadavg().map((x) => r2(x)), note: 'clients, upstreams and the gateway share these cores' },
  };

  // Each throughput test runs ROUNDS times, direct and gateway alternating, and reports the
  // median of each (one run on a shared 2-core machine swings by tens of percent).

  // 1. One stream of 100,000 small events (after a short warm-up of each path).
  await readStream(`${direct}/streams/burst?n=10000`, {});
  await readStream(`${viaGw}/streams/burst?n=10000`, AUTH);
  const oneSamples = { direct: [] as number[], gateway: [] as number[] };
  let oneEvents = { direct: 0, gateway: 0 };
  for (let i = 0; i < ROUNDS; i++) {
    const d = await readStream(`${direct}/streams/burst?n=100000`, {});
    const g = await readStream(`${viaGw}/streams/burst?n=100000`, AUTH);
    oneSamples.direct.push(Math.round(d.events / (d.ms / 1000)));
    oneSamples.gateway.push(Math.round(g.events / (g.ms / 1000)));
    oneEvents = { direct: d.events, gateway: g.events };
  }
  const one = {
    direct: { events: oneEvents.direct, eventsPerSec: median(oneSamples.direct), samples: oneSamples.direct },
    gateway: { events: oneEvents.gateway, eventsPerSec: median(oneSamples.gateway), samples: oneSamples.gateway },
  };
  const oneRatio = r2(one.gateway.eventsPerSec / one.direct.eventsPerSec);
  result.oneStream100k = { ...one, rounds: ROUNDS, ratio: oneRatio, target: 0.9, met: oneRatio >= 0.9 };
  rows.push({ test: '1 stream × 100,000 events', direct: `${one.direct.eventsPerSec} ev/s`, gateway: `${one.gateway.eventsPerSec} ev/s`, ratio: oneRatio, target: '≥ 0.9' });

  // 2. 2,000 concurrent streams × 100 events, after one unmeasured round of each path: the
  // first round through the gateway also opens its 2,000 upstream keep-alive connections and
  // runs code the single stream did not (both paths speed up by half on their second round).
  await concurrent(direct, {}, 2000, 100);
  await concurrent(viaGw, AUTH, 2000, 100);
  const cSamples = { direct: [] as Awaited<ReturnType<typeof concurrent>>[], gateway: [] as Awaited<ReturnType<typeof concurrent>>[] };
  for (let i = 0; i < ROUNDS; i++) {
    cSamples.direct.push(await concurrent(direct, {}, 2000, 100));
    cSamples.gateway.push(await concurrent(viaGw, AUTH, 2000, 100));
  }
  const pick = (xs: Awaited<ReturnType<typeof concurrent>>[]) => {
    const m = median(xs.map((x) => x.eventsPerSec));
    return { ...xs.find((x) => x.eventsPerSec === m)!, samples: xs.map((x) => x.eventsPerSec) };
  };
  const cD = pick(cSamples.direct);
  const cG = pick(cSamples.gateway);
  const cRatio = r2(cG.eventsPerSec / cD.eventsPerSec);
  result.concurrent2000 = { direct: cD, gateway: cG, rounds: ROUNDS, ratio: cRatio, target: 0.9, met: cRatio >= 0.9 };
  rows.push({ test: '2,000 streams × 100 events', direct: `${cD.eventsPerSec} ev/s`, gateway: `${cG.eventsPerSec} ev/s`, ratio: cRatio, target: '≥ 0.9' });

  // 3. Latency per event: paced events carrying their send time.
  const lD = await readStream(`${direct}/streams/tick?n=400&every=3`, {});
  const lG = await readStream(`${viaGw}/streams/tick?n=400&every=3`, AUTH);
  const p50D = pct(lD.latencies, 50);
  const p50G = pct(lG.latencies, 50);
  const added = r2(p50G - p50D);
  result.latencyPerEvent = {
    direct: { p50Ms: r2(p50D), p99Ms: r2(pct(lD.latencies, 99)) },
    gateway: { p50Ms: r2(p50G), p99Ms: r2(pct(lG.latencies, 99)) },
    addedP50Ms: added,
    target: '< 1 ms',
    met: added < 1,
  };
  rows.push({ test: 'latency per event p50', direct: `${r2(p50D)} ms`, gateway: `${r2(p50G)} ms`, ratio: `+${added} ms`, target: '< 1 ms added' });

  gw.child.kill('SIGTERM');

  // 4. Gateway memory per open idle stream (a fresh gateway, 2,000 streams, after GC).
  const gwMem = await start('gateway-proc.ts', { ...gwEnv, AURA_URL: a }, ['--expose-gc']);
  await readStream(`http://127.0.0.1:${gwMem.port}/api/aura/streams/burst?n=100`, AUTH);
  const before = (await ask<NodeJS.MemoryUsage[]>(gwMem.child, 'mem', 'mem'))[0];
  const holder = fork(path.join(__dirname, 'sse-clients.ts'), [], {
    env: { ...process.env, BENCH_URL: `http://127.0.0.1:${gwMem.port}/api/aura/streams/idle`, BENCH_COUNT: '2000', BENCH_HEADERS: JSON.stringify(AUTH) },
    execArgv: ['--import', 'tsx'],
  });
  children.push(holder);
  await new Promise((r) => holder.once('message', r));
  const afterIdle = (await ask<NodeJS.MemoryUsage[]>(gwMem.child, 'mem', 'mem'))[0];
  holder.send('close');
  const perStream = {
    rssBytes: Math.round((afterIdle.rss - before.rss) / 2000),
    heapBytes: Math.round((afterIdle.heapUsed - before.heapUsed) / 2000),
  };
  result.memoryPerIdleStream = { streams: 2000, ...perStream };
  rows.push({ test: 'gateway memory per idle stream', direct: '', gateway: `${(perStream.rssBytes / 1024).toFixed(1)} KiB RSS, ${(perStream.heapBytes / 1024).toFixed(1)} KiB heap`, ratio: '', target: 'report' });
  gwMem.child.kill('SIGTERM');

  // 5. 10,000 idle streams through the gateway (2 workers), 2 upstream instances, 2 client processes.
  const gw2 = await start('gateway-proc.ts', { ...gwEnv, AURA_URL: `${a},${b}`, BENCH_WORKERS: '2' }, ['--expose-gc']);
  const base2 = await ask<NodeJS.MemoryUsage[]>(gw2.child, 'mem', 'mem');
  const per = Math.ceil(IDLE_STREAMS / 2);
  const holders = [0, 1].map(() => {
    const h = fork(path.join(__dirname, 'sse-clients.ts'), [], {
      env: { ...process.env, BENCH_URL: `http://127.0.0.1:${gw2.port}/api/aura/streams/idle`, BENCH_COUNT: String(per), BENCH_HEADERS: JSON.stringify(AUTH) },
      execArgv: ['--import', 'tsx'],
    });
    children.push(h);
    return h;
  });
  const ready = await Promise.all(holders.map((h) => new Promise<{ opened: number; failed: number }>((r) => h.once('message', (m) => r(m as never)))));
  const openedAt = (await ask<NodeJS.MemoryUsage[]>(gw2.child, 'mem', 'mem'));
  await new Promise((r) => setTimeout(r, IDLE_SECONDS * 1000));
  const reports = await Promise.all(holders.map((h) => ask<{ open: number; opened: number; dropped: number; failed: number; pings: number }>(h, 'report', 'report')));
  const endMem = await ask<NodeJS.MemoryUsage[]>(gw2.child, 'mem', 'mem');
  for (const h of holders) h.send('close');
  const sum = (ms: NodeJS.MemoryUsage[], k: 'rss' | 'heapUsed') => ms.reduce((s, m) => s + m[k], 0);
  const idle = {
    streams: IDLE_STREAMS,
    opened: reports.reduce((s, r) => s + r.opened, 0),
    failedToOpen: ready.reduce((s, r) => s + r.failed, 0),
    stillOpen: reports.reduce((s, r) => s + r.open, 0),
    dropped: reports.reduce((s, r) => s + r.dropped, 0),
    heartbeatsReceived: reports.reduce((s, r) => s + r.pings, 0),
    heartbeatEveryMs: HEARTBEAT_MS,
    heldSeconds: IDLE_SECONDS,
    gatewayWorkers: 2,
    gatewayRssMiB: { before: r2(sum(base2, 'rss') / MB), opened: r2(sum(openedAt, 'rss') / MB), end: r2(sum(endMem, 'rss') / MB) },
    gatewayHeapMiB: { before: r2(sum(base2, 'heapUsed') / MB), end: r2(sum(endMem, 'heapUsed') / MB) },
  };
  result.idle10k = idle;
  rows.push({
    test: `${IDLE_STREAMS} idle streams, ${IDLE_SECONDS} s`,
    direct: '',
    gateway: `open ${idle.stillOpen}/${idle.opened}, dropped ${idle.dropped}, ${idle.heartbeatsReceived} pings, RSS ${idle.gatewayRssMiB.end} MiB (2 workers)`,
    ratio: '',
    target: '0 dropped',
  });

  console.log('');
  console.table(rows);
  mkdirSync(path.join(__dirname, 'results'), { recursive: true });
  writeFileSync(path.join(__dirname, 'results', 'sse.json'), `${JSON.stringify(result, null, 2)}\n`);
}

main()
  .catch((err) => {
    console.error(err);
    process.exitCode = 1;
  })
  .finally(() => {
    for (const c of children) if (c.exitCode === null) c.kill('SIGTERM');
    setTimeout(() => process.exit(), 500);
  });
