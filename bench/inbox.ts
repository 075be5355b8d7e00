/// <reference lib="dom" />
// `npm run bench:inbox`: the approvals inbox in Debian's Chromium on the production build
// (web/dist) served by the real gateway, with the whole platform real. 500 pending HITL
// requests across 50 cases are created by Aura's own RedisHitlWaits (the script that publishes each
// through the workbench outbox), then measured: the inbox's first render (navigation start to
// all 500 items in the DOM, the list fetched and drawn), and the time from a decision (approve
// through the gateway) to its removal from another user's open inbox (MutationObserver in the
// page, same machine clock). Prints a table, writes bench/results/inbox.json.
import { mkdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Redis from 'ioredis';
import { chromium, type Page } from 'playwright-core';
import { HEADERS } from '../generated/contract';
import { RedisHitlWaits } from '../src/aura/redis/hitl-waits';
import { startPlatform, type Platform } from '../src/platform';
import { unixSeconds } from '../src/shared/time';
import { median } from './support';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];
const REQUESTS = Number(process.env.BENCH_INBOX_REQUESTS ?? 500);
const CASES = Number(process.env.BENCH_INBOX_CASES ?? 50);
const RENDER_ROUNDS = Number(process.env.BENCH_INBOX_ROUNDS ?? 5);
const DECISIONS = Number(process.env.BENCH_INBOX_DECISIONS ?? 20);
const WEB_DIST = path.resolve(process.env.GATEWAY_WEB_DIR ?? path.join(__dirname, '..', 'web', 'dist'));
const RESULTS = path.join(__dirname, 'results');
const TENANT = 'acme';
const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';

const pct = (xs: number[], p: number) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor((xs.length * p) / 100))]!;

async function apiLogin(base: string, username: string): Promise<string> {
  const r = await fetch(`${base}/api/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username, password: `${username}-pass`, tenantId: TENANT }),
  });
  return ((await r.json()) as { data: { accessToken: string } }).data.accessToken;
}

async function pendingCount(base: string, token: string, prefix: string): Promise<number> {
  let n = 0;
  let cursor: string | undefined;
  for (;;) {
    const q = new URLSearchParams({ limit: '200', ...(cursor ? { cursor } : {}) });
    const r = await fetch(`${base}/api/main/hitl/requests?${q}`, { headers: { [HEADERS.AUTHORIZATION]: `Bearer ${token}`, [HEADERS.TENANT_ID]: TENANT } });
    const d = ((await r.json()) as { data: { items: { requestId: string }[]; nextCursor?: string } }).data;
    n += d.items.filter((i) => i.requestId.startsWith(prefix)).length;
    cursor = d.nextCursor;
    if (!cursor) return n;
  }
}

async function uiLogin(page: Page, base: string, username: string): Promise<void> {
  await page.goto(`${base}/#/cases`);
  await page.getByLabel('Tenant').fill(TENANT);
  await page.getByLabel('Username').fill(username);
  await page.getByLabel('Password').fill(`${username}-pass`);
  await page.locator('[data-testid=login-submit]').click();
  await page.locator('[data-testid=current-user]').waitFor();
}

/** Milliseconds from navigation start until `n` items of `prefix` are in the DOM. */
async function firstRender(page: Page, base: string, n: number, prefix: string): Promise<number> {
  await page.goto(`${base}/#/approvals`);
  await page.reload();
  const handle = await page.waitForFunction(
    ([want, p]) => {
      const count = document.querySelectorAll(`[data-testid=inbox-item][data-request-id^="${p}"]`).length;
      return count >= (want as number) ? performance.now() : false;
    },
    [n, prefix] as const,
    { polling: 'raf', timeout: 60_000 },
  );
  return (await handle.jsonValue()) as number;
}

async function main(): Promise<void> {
  let platform: Platform | undefined;
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
  const redis = new Redis(REDIS_URL);
  try {
    platform = await startPlatform(
      {
        JWT_SECRET: 'bench-inbox-secret-'.padEnd(48, 'x'),
        PGLITE_DATA_DIR: 'memory://',
        REDIS_URL,
        GATEWAY_PORT: '0',
        AUTH_PORT: '0',
        MAIN_PORT: '0',
        AURA_PORT: '0',
        GATEWAY_WEB_DIR: WEB_DIST,
      },
      { seed: true, logLevel: 'silent', host: '127.0.0.1' },
    );
    const base = platform.urls.gateway;
    const approverToken = await apiLogin(base, 'approver');
    const prefix = `req-bench-${Date.now()}-`;
    const aura = new RedisHitlWaits(redis);
    const now = unixSeconds();
    const createStart = Date.now();
    for (let i = 0; i < REQUESTS; i++) {
      const id = `${prefix}${String(i).padStart(4, '0')}`;
      const caseId = `BENCH-CASE-${String(i % CASES).padStart(2, '0')}`;
      await aura.create({
        requestId: id,
        sessionId: id.replace(/^req-/, 'sess-'),
        userId: 'acme-requester',
        tenantId: TENANT,
        actionType: i % 3 === 0 ? 'REQUEST_INFO' : 'PAYMENT_BLOCK',
        message: `Block payment ${i} on ${caseId}?`,
        context: { caseId, streamId: id.replace(/^req-/, 'stream-') },
        status: 'pending',
        createdAt: now - (REQUESTS - i),
        expiresAt: now + 1800,
      });
    }
    while ((await pendingCount(base, approverToken, prefix)) < REQUESTS) await new Promise((r) => setTimeout(r, 100)); // a bench poll, not a test sync
    const ingestMs = Date.now() - createStart;

    const viewer = await (await browser.newContext({ locale: 'en-US', viewport: { width: 1280, height: 900 } })).newPage();
    const other = await (await browser.newContext({ locale: 'en-US', viewport: { width: 1280, height: 900 } })).newPage();
    await uiLogin(viewer, base, 'approver');
    await uiLogin(other, base, 'admin');
    const renders: number[] = [];
    for (let r = 0; r < RENDER_ROUNDS; r++) renders.push(await firstRender(viewer, base, REQUESTS, prefix));

    // Decision → removal from the admin's open inbox.
    await firstRender(other, base, REQUESTS, prefix);
    const removals: number[] = [];
    for (let i = 0; i < DECISIONS; i++) {
      const id = `${prefix}${String(i).padStart(4, '0')}`;
      const gone = other.evaluate(
        (rid) =>
          new Promise<number>((resolve) => {
            const sel = `[data-testid=inbox-item][data-request-id="${rid}"]`;
            if (!document.querySelector(sel)) return resolve(Date.now());
            const mo = new MutationObserver(() => {
              if (!document.querySelector(sel)) {
                mo.disconnect();
                resolve(Date.now());
              }
            });
            mo.observe(document.body, { childList: true, subtree: true });
          }),
        id,
      );
      // The observer is in place before the decision is sent.
      await other.evaluate(() => 0);
      const t0 = Date.now();
      const res = await fetch(`${base}/api/aura/hitl/approve/${id}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', [HEADERS.AUTHORIZATION]: `Bearer ${approverToken}`, [HEADERS.TENANT_ID]: TENANT },
        body: '{}',
      });
      if (res.status !== 200) throw new Error(`approve ${id}: ${res.status} ${await res.text()}`);
      removals.push((await gone) - t0);
    }

    const result = {
      measuredAt: new Date().toISOString(),
      machine: { cpus: os.cpus().length, model: os.cpus()[0]?.model ?? '' },
      requests: REQUESTS,
      cases: CASES,
      ingestAllMs: ingestMs,
      firstRenderMs: { rounds: renders.map(Math.round), median: Math.round(median(renders)), max: Math.round(Math.max(...renders)) },
      decisionToRemovalMs: { n: removals.length, p50: median(removals), p95: pct(removals, 95), max: Math.max(...removals) },
    };
    console.table([
      { measure: `create + ingest ${REQUESTS} requests`, value: `${ingestMs} ms` },
      { measure: `inbox first render, ${REQUESTS} items (median of ${RENDER_ROUNDS})`, value: `${result.firstRenderMs.median} ms (max ${result.firstRenderMs.max})` },
      { measure: `decision → removal in another inbox (p50 / p95, n=${removals.length})`, value: `${result.decisionToRemovalMs.p50} / ${result.decisionToRemovalMs.p95} ms` },
    ]);
    mkdirSync(RESULTS, { recursive: true });
    writeFileSync(path.join(RESULTS, 'inbox.json'), `${JSON.stringify(result, null, 2)}\n`);
  } finally {
    await browser.close();
    redis.disconnect();
    await platform?.close();
  }
}

main().then(
  () => process.exit(0),
  (err) => {
    console.error(err);
    process.exit(1);
  },
);
