// bench:services — the main service's HTTP binding under load, direct (no gateway): GetCase,
// ListNotifications and ApproveHitl, requests per second and p99 latency.
//
// Each target is a checkout of this repository with its own node_modules; the script starts its
// `src/main/main.ts` as a child process (one at a time, alternating rounds) against one PostgreSQL
// database and the local Redis, so binding implementations are compared in one run on the same
// machine: `tsx bench/services.ts --baseline /tmp/fastify-base --baseline-name fastify`.
// Without --baseline it measures this checkout only.
import autocannon from 'autocannon';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { join, resolve } from 'node:path';
import Redis from 'ioredis';
import { HEADERS } from '../generated/contract';
import { encodeHitlRequestRecord, encodeHitlSessionRecord, HITL_REQUEST_TTL_SECONDS, HITL_SESSION_TTL_SECONDS, hitlRequestKey, hitlSessionKey } from '../generated/redis';
import { operations } from '../generated/server/operations';
import type * as S from '../generated/schemas';
import { insertNotification } from '../src/main/workbench-store/notification-repo';
import { signToken } from '../src/shared/auth/jwt';
import { openDatabase } from '../src/shared/db/database';
import { seedDemo } from '../src/shared/db/seed';
import { unixSeconds } from '../src/shared/time';
import { createTestDatabase } from '../test/support/pg';
import { freePort, median } from './support';

const SECRET = 'bench-secret-that-is-at-least-32-bytes-long!!';
const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
const TENANT = 'acme';
const CASE_ID = 'CASE-2026-0001';
// Approvals name another case: each one adds a history row to its case, and GetCase returns them all.
const APPROVAL_CASE_ID = 'CASE-2026-0002';
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const DURATION = Number(process.env.BENCH_DURATION ?? 6);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 32);
// More than one target's round can use: every approval needs a request still pending.
const APPROVALS_PER_ROUND = Number(process.env.BENCH_APPROVALS ?? 40_000);

interface Target {
  name: string;
  dir: string;
}

function arg(name: string): string | undefined {
  const i = process.argv.indexOf(name);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

const targets: Target[] = [];
const baseline = arg('--baseline');
if (baseline) targets.push({ name: arg('--baseline-name') ?? 'baseline', dir: resolve(baseline) });
targets.push({ name: arg('--name') ?? 'this checkout', dir: resolve(__dirname, '..') });

const servicePath = (id: keyof typeof operations, params: Record<string, string> = {}) =>
  operations[id].servicePath.replace(/\{(\w+)\}/g, (_, k: string) => encodeURIComponent(params[k]!));

async function startMain(t: Target, databaseUrl: string): Promise<{ url: string; child: ChildProcess }> {
  const port = await freePort();
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/main/main.ts'], {
    cwd: t.dir,
    env: {
      PATH: process.env.PATH,
      HOME: process.env.HOME,
      // As deployed: production settings (response validation as production configures it).
      NODE_ENV: 'production',
      MAIN_PORT: String(port),
      MAIN_HOST: '127.0.0.1',
      DATABASE_URL: databaseUrl,
      REDIS_URL,
      JWT_SECRET: SECRET,
      AURA_RECORD_ACTION: 'false',
      AURA_URL: 'http://127.0.0.1:9',
      LOG_LEVEL: 'error',
    },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  const url = `http://127.0.0.1:${port}`;
  const exited = new Promise<never>((_, reject) => child.once('exit', (code) => reject(new Error(`${t.name}: main exited with ${code}`))));
  const ready = (async () => {
    for (;;) {
      try {
        const res = await fetch(`${url}${servicePath('MainHealth')}`);
        await res.arrayBuffer();
        if (res.ok) return;
      } catch {
        /* not listening yet */
      }
      await new Promise((r) => setTimeout(r, 100));
    }
  })();
  await Promise.race([ready, exited]);
  return { url, child };
}

async function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null) return;
  const gone = new Promise((r) => child.once('exit', r));
  child.kill('SIGTERM');
  await gone;
}

/** Pending HITL requests written as Aura writes them, one per approval the round may make. */
async function putPending(redis: Redis, prefix: string, n: number): Promise<string[]> {
  const ids: string[] = [];
  for (let start = 0; start < n; start += 2000) {
    const pipe = redis.pipeline();
    for (let i = start; i < Math.min(n, start + 2000); i++) {
      const requestId = `${prefix}-${i}`;
      const sessionId = `${prefix}-s-${i}`;
      const record: S.HitlRequestRecord = {
        requestId,
        sessionId,
        userId: 'acme-requester',
        tenantId: TENANT,
        actionType: 'PAYMENT_BLOCK',
        message: 'Block the duplicate payment?',
        context: { caseId: APPROVAL_CASE_ID, docKey: '1000-5100000187-2026' },
        status: 'pending',
        createdAt: unixSeconds(),
      };
      pipe.set(hitlRequestKey({ requestId }), encodeHitlRequestRecord(record), 'EX', HITL_REQUEST_TTL_SECONDS);
      pipe.set(hitlSessionKey({ sessionId }), encodeHitlSessionRecord({ sessionId, requestId, userId: record.userId, tenantId: TENANT }), 'EX', HITL_SESSION_TTL_SECONDS);
      ids.push(requestId);
    }
    await pipe.exec();
  }
  return ids;
}

interface Result {
  rps: number;
  p99: number;
  p50: number;
  non2xx: number;
  errors: number;
}

async function load(url: string, opts: Partial<autocannon.Options>): Promise<Result> {
  const r = await autocannon({ url, connections: CONNECTIONS, duration: DURATION, ...opts } as autocannon.Options);
  return { rps: r.requests.average, p99: r.latency.p99, p50: r.latency.p50, non2xx: r.non2xx, errors: r.errors + r.timeouts };
}

async function main() {
  const pg = await createTestDatabase();
  const database = await openDatabase({ databaseUrl: pg.url });
  await seedDemo(database.db);
  for (let i = 0; i < 60; i++) {
    await insertNotification(database.db, {
      tenantId: TENANT,
      type: 'CASE_ACTION',
      title: `Case action ${i}`,
      content: 'bench notification',
      caseId: CASE_ID,
      payload: { n: i },
      occurredAt: new Date().toISOString(),
      dedupeKey: `bench-${i}`,
    });
  }
  await database.close();
  const redis = new Redis(REDIS_URL);
  const approver = signToken(SECRET, { sub: 'acme-approver', tenantId: TENANT, role: 'APPROVER', ttlSeconds: 3600 });
  const headers = { [HEADERS.AUTHORIZATION]: `Bearer ${approver}`, [HEADERS.TENANT_ID]: TENANT, [HEADERS.USER_ID]: 'acme-approver' };

  const ops = ['GetCase', 'ListNotifications', 'ApproveHitl'] as const;
  const results: Record<string, Record<string, Result[]>> = {};
  for (const t of targets) results[t.name] = Object.fromEntries(ops.map((o) => [o, []]));
  try {
    for (let round = 0; round < ROUNDS; round++) {
      for (const t of round % 2 === 0 ? targets : [...targets].reverse()) {
        const ids = await putPending(redis, `bench-${process.pid}-${round}-${t.name.replace(/\W/g, '')}`, APPROVALS_PER_ROUND);
        const { url, child } = await startMain(t, pg.url);
        try {
          // Warm-up: JIT, connection pools, prepared statements.
          await load(`${url}${servicePath('GetCase', { caseId: CASE_ID })}`, { headers, duration: 2 });
          results[t.name].GetCase.push(await load(`${url}${servicePath('GetCase', { caseId: CASE_ID })}`, { headers }));
          results[t.name].ListNotifications.push(await load(`${url}${servicePath('ListNotifications')}?limit=50`, { headers }));
          let next = 0;
          results[t.name].ApproveHitl.push(
            await load(url, {
              requests: [
                {
                  method: 'POST',
                  headers,
                  setupRequest: (req: any) => ({ ...req, path: servicePath('ApproveHitl', { requestId: ids[next++ % ids.length]! }) }),
                },
              ],
            }),
          );
          if (next > ids.length) console.warn(`${t.name}: ran out of pending requests (${next} approvals asked for ${ids.length}); raise BENCH_APPROVALS`);
        } finally {
          await stop(child);
        }
        console.log(`round ${round + 1}/${ROUNDS} ${t.name}: ${ops.map((o) => `${o} ${Math.round(results[t.name][o].at(-1)!.rps)} req/s`).join(', ')}`);
      }
    }
  } finally {
    redis.disconnect();
    await pg.drop();
  }

  const summary = Object.fromEntries(
    targets.map((t) => [
      t.name,
      Object.fromEntries(
        ops.map((o) => {
          const rs = results[t.name][o];
          return [o, { rps: median(rs.map((r) => r.rps)), p99Ms: median(rs.map((r) => r.p99)), p50Ms: median(rs.map((r) => r.p50)), non2xx: rs.reduce((a, r) => a + r.non2xx, 0), errors: rs.reduce((a, r) => a + r.errors, 0), rounds: rs.map((r) => Math.round(r.rps)) }];
        }),
      ),
    ]),
  );
  const cpu = os.cpus();
  console.log(`\nmain service, direct, ${CONNECTIONS} connections, ${DURATION} s per run, median of ${ROUNDS} alternating rounds (${cpu.length} cores, ${cpu[0]?.model ?? ''})\n`);
  const cols = targets.map((t) => t.name);
  console.log(`${'operation'.padEnd(20)}${cols.map((c) => `${`${c} req/s`.padStart(22)}${`${c} p99 ms`.padStart(22)}`).join('')}${baseline ? 'ratio'.padStart(10) : ''}`);
  const ratios: Record<string, number> = {};
  for (const o of ops) {
    let line = o.padEnd(20);
    for (const c of cols) line += `${Math.round(summary[c][o].rps).toString().padStart(22)}${summary[c][o].p99Ms.toFixed(1).padStart(22)}`;
    if (baseline) {
      ratios[o] = summary[cols[1]][o].rps / summary[cols[0]][o].rps;
      line += `${ratios[o].toFixed(2)}×`.padStart(10);
    }
    console.log(line);
  }
  const bad = cols.flatMap((c) => ops.filter((o) => summary[c][o].non2xx || summary[c][o].errors).map((o) => `${c} ${o}: ${summary[c][o].non2xx} non-2xx, ${summary[c][o].errors} errors`));
  if (bad.length) console.log(`\nnot all answers were 2xx: ${bad.join('; ')}`);
  if (baseline) console.log(`\ntarget: ${cols[1]} ≥ 0.7× ${cols[0]} on each: ${Object.values(ratios).every((r) => r >= 0.7) ? 'met' : 'NOT met'}`);
  const out = {
    name: 'services',
    at: new Date().toISOString(),
    machine: { cores: cpu.length, cpu: cpu[0]?.model ?? null, node: process.version },
    connections: CONNECTIONS,
    durationS: DURATION,
    rounds: ROUNDS,
    targets: targets.map((t) => ({ name: t.name, dir: t.dir })),
    results: summary,
    ratios: baseline ? ratios : null,
    note: 'Each target runs src/main/main.ts with NODE_ENV=production against one PostgreSQL database and the local Redis; load from autocannon in this process; medians of alternating rounds. ApproveHitl decides a different pending request each call (written beforehand as Aura writes them).',
  };
  const dir = join(__dirname, 'results');
  mkdirSync(dir, { recursive: true });
  const file = arg('--out') ?? 'services.json';
  writeFileSync(join(dir, file), `${JSON.stringify(out, null, 2)}\n`);
  console.log(`\nwrote ${join('bench', 'results', file)}`);
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
