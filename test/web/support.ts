// The workbench in a real browser: Debian's Chromium driven by playwright-core (no browser is
// ever downloaded), the whole platform on port 0 against the real Redis and a fresh PostgreSQL,
// serving the built `web/dist`. A missing Chromium or build fails the file with a message saying
// how to get it; it never skips.
import { existsSync, mkdirSync } from 'node:fs';
import net from 'node:net';
import { join, resolve } from 'node:path';
import { chromium, type Browser, type BrowserContext, type BrowserContextOptions, type Locator, type Page, type Request } from 'playwright-core';
import { HEADERS } from '../../generated/contract';
import { DwpCore, joinStream, login as sdkLogin } from '../../generated/sdk';
import { startTestPlatform } from '../e2e/platform';
// The platform signs with the shared JWT_SECRET, so a test can mint a token the gateway checks for real.
import { JWT_SECRET } from '../support/auth';

export const REPO = resolve(__dirname, '..', '..');
export const WEB_DIST = join(REPO, 'web', 'dist');
export const SHOTS = join(REPO, 'test-results', 'web');
export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
export const TENANT = 'acme';

export const USERS = {
  approver: { username: 'approver', password: 'approver-pass', userId: 'acme-approver' },
  requester: { username: 'requester', password: 'requester-pass', userId: 'acme-requester' },
  admin: { username: 'admin', password: 'admin-pass', userId: 'acme-admin' },
} as const;
export type UserName = keyof typeof USERS;

/** Bound of every single wait on the page: generous for two shared cores, far below the test's own timeout. */
export const WAIT_MS = 15_000;

/** Header names as Playwright reports them (lower-case). */
export const LAST_EVENT_ID = HEADERS.LAST_EVENT_ID.toLowerCase();

// Playwright gives every launch a fresh temporary user-data-dir (deleted on close), so runs never
// share cookies, storage or a profile lock. The flags keep Chromium from phoning home or
// updating itself mid-test, and QUIC off keeps every request on the TCP connections the tests
// cut and hold.
const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

export async function launchBrowser(): Promise<Browser> {
  if (!existsSync(CHROMIUM_PATH)) {
    throw new Error(
      `Chromium is not installed at ${CHROMIUM_PATH}; the workbench tests need it (they never download a browser).\n` +
        '  Install it: apt-get install -y chromium   (or point CHROMIUM_PATH at a Chromium/Chrome binary)',
    );
  }
  try {
    return await chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS });
  } catch (err) {
    throw new Error(`Chromium at ${CHROMIUM_PATH} did not start: ${(err as Error).message}`);
  }
}

export interface WebPlatform {
  /** The gateway, which serves the workbench at `/` and the API under `/api`. */
  url: string;
  gatewayPort: number;
  stop(): Promise<void>;
}

export async function startWebPlatform(env: Record<string, string> = {}): Promise<WebPlatform> {
  if (!existsSync(join(WEB_DIST, 'index.html'))) {
    throw new Error(`The workbench is not built (${join(WEB_DIST, 'index.html')} is missing): run npm run build:web before these tests.`);
  }
  const { platform, stop } = await startTestPlatform({ GATEWAY_WEB_DIR: WEB_DIST, JWT_SECRET, ...env });
  return { url: platform.urls.gateway, gatewayPort: Number(new URL(platform.urls.gateway).port), stop };
}

/** One browser context per user: its own sessionStorage, so two contexts are two signed-in people. */
export async function newContext(browser: Browser, options: BrowserContextOptions = {}): Promise<BrowserContext> {
  const ctx = await browser.newContext({ locale: 'en-US', viewport: { width: 1280, height: 900 }, ...options });
  ctx.setDefaultTimeout(WAIT_MS);
  return ctx;
}

export async function newPage(browser: Browser, options: BrowserContextOptions = {}): Promise<Page> {
  const ctx = await newContext(browser, options);
  const page = await ctx.newPage();
  // A page error would otherwise only show as a missing element much later.
  page.on('pageerror', (err) => console.error(`[browser] ${err.message}`));
  return page;
}

export function testId(id: string, attrs: Record<string, string> = {}): string {
  return `[data-testid="${id}"]${Object.entries(attrs)
    .map(([k, v]) => `[data-${k}="${v}"]`)
    .join('')}`;
}

export async function shot(target: Page | Locator, name: string): Promise<void> {
  mkdirSync(SHOTS, { recursive: true });
  const path = join(SHOTS, `${name}.png`);
  await ('goto' in target ? target.screenshot({ path, fullPage: true }) : target.screenshot({ path }));
}

/** Fills the login form as a user would (by label) and waits for the case list. */
export async function login(page: Page, baseUrl: string, user: UserName, opts: { password?: string; expectFailure?: boolean } = {}): Promise<void> {
  if (!page.url().startsWith(baseUrl)) await page.goto(`${baseUrl}/#/cases`);
  await page.locator(testId('login-form')).waitFor();
  await page.getByLabel('Tenant').fill(TENANT);
  await page.getByLabel('Username').fill(USERS[user].username);
  await page.getByLabel('Password').fill(opts.password ?? USERS[user].password);
  await page.locator(testId('login-submit')).click();
  if (opts.expectFailure) await page.locator(testId('login-error')).waitFor();
  else await page.locator(testId('current-user')).waitFor();
}

export async function openCase(page: Page, baseUrl: string, caseId: string, stream?: string): Promise<void> {
  await page.goto(`${baseUrl}/#/cases/${encodeURIComponent(caseId)}${stream ? `?stream=${encodeURIComponent(stream)}` : ''}`);
  await page.locator(`${testId('case-detail')}[data-case-id="${caseId}"]`).waitFor();
}

export function waitForStreamState(page: Page, state: string, testIdName = 'agent-connection'): Promise<unknown> {
  return page.locator(testId(testIdName, { state })).waitFor();
}

/** Asks Aura on the open case and waits for the HITL card it always reaches. */
export async function askAura(page: Page): Promise<{ requestId: string; streamId: string }> {
  await page.locator(testId('agent-ask')).click();
  const card = page.locator(testId('hitl-card', { outcome: 'pending' }));
  await card.waitFor();
  const requestId = (await card.getAttribute('data-request-id')) ?? '';
  const streamId = (await page.locator(testId('run-link')).getAttribute('data-stream-id')) ?? '';
  return { requestId, streamId };
}

export interface TimelineItem {
  id: string;
  type: string;
  status: string | null;
}

/** The timeline as the page shows it, in DOM order. */
export function timeline(page: Page): Promise<TimelineItem[]> {
  return page
    .locator(`${testId('timeline')} [data-event-id]`)
    .evaluateAll((els) =>
      els.map((e) => ({ id: e.getAttribute('data-event-id') ?? '', type: e.getAttribute('data-event-type') ?? '', status: e.getAttribute('data-status') })),
    );
}

/**
 * The agent run's order (CONTRACT §5) over the timeline, which shows every event but `content`:
 * start → thought → plan_step… → (updates, tools, thoughts)… → the proposed tool pending → hitl
 * → the tool again (success on approval, cancelled on rejection) → end.
 */
export function assertAgentOrder(items: TimelineItem[], decided: 'approved' | 'rejected' | 'pending'): void {
  const types = items.map((i) => i.type).join(' ');
  const head = /^start thought (plan_step )+((plan_step_update|tool_execution|thought) )*tool_execution hitl/;
  if (!head.test(types)) throw new Error(`timeline out of contract order: ${types}`);
  const hitlAt = items.findIndex((i) => i.type === 'hitl');
  const before = items[hitlAt - 1];
  if (before.status !== 'pending') throw new Error(`the tool before hitl is ${before.status}, not pending`);
  const after = items.slice(hitlAt + 1);
  if (decided === 'pending') {
    if (after.length) throw new Error(`events after hitl before any decision: ${after.map((i) => i.type).join(' ')}`);
    return;
  }
  const tail = after.map((i) => `${i.type}${i.status ? `:${i.status}` : ''}`).join(' ');
  const want = `tool_execution:${decided === 'approved' ? 'success' : 'cancelled'} end`;
  if (tail !== want) throw new Error(`after hitl: "${tail}", want "${want}"`);
}

export function assertNoDuplicateIds(items: TimelineItem[]): void {
  const ids = items.map((i) => i.id);
  const dup = ids.filter((id, i) => ids.indexOf(id) !== i);
  if (dup.length) throw new Error(`event ids shown twice: ${dup.join(', ')}`);
  if (ids.some((id) => !id)) throw new Error('a timeline item has no event id');
}

/** A signed-in SDK client in Node, through the same gateway the browser uses. */
export async function nodeClient(baseUrl: string, user: UserName): Promise<DwpCore> {
  const anon = new DwpCore({ baseUrl });
  const res = await sdkLogin(anon, { body: { tenantId: TENANT, username: USERS[user].username, password: USERS[user].password } });
  return anon.withToken(res.data.accessToken, TENANT);
}

/** What the server logged for a finished stream, `content` left out as the timeline leaves it out. */
export async function serverTimeline(client: DwpCore, streamId: string): Promise<{ id: string; type: string }[]> {
  const out: { id: string; type: string }[] = [];
  for await (const ev of joinStream(client, { params: { streamId } }, { signal: AbortSignal.timeout(WAIT_MS) })) {
    if (ev.event !== 'content') out.push({ id: ev.id ?? '', type: ev.event });
  }
  return out;
}

/** Records the requests a page makes that match, so a test can say "nothing was sent". */
export function recordRequests(page: Page, match: (r: Request) => boolean): Request[] {
  const seen: Request[] = [];
  page.on('request', (r) => {
    if (match(r)) seen.push(r);
  });
  return seen;
}

interface Pair {
  client: net.Socket;
  upstream: net.Socket;
  /** The server's side carries an open event stream (seen `text/event-stream`, not yet `[DONE]`). */
  sse: boolean;
  held: Buffer[] | null;
}

/**
 * A TCP proxy between the browser and the gateway: the page is loaded from its port, so every
 * request and stream of the workbench crosses it. It can cut every connection (a network drop),
 * stop accepting for a while (the link is down), and hold back what open event streams deliver
 * (a congested link: the page keeps showing what it had).
 */
export class TcpProxy {
  private server: net.Server | null = null;
  private readonly pairs = new Set<Pair>();

  private constructor(
    private readonly targetPort: number,
    public port: number,
  ) {}

  static async start(targetPort: number): Promise<TcpProxy> {
    const p = new TcpProxy(targetPort, 0);
    await p.listen();
    return p;
  }

  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  private listen(): Promise<void> {
    const server = net.createServer((client) => this.accept(client));
    return new Promise((resolvePromise, reject) => {
      server.once('error', reject);
      server.listen(this.port, '127.0.0.1', () => {
        this.port = (server.address() as net.AddressInfo).port;
        this.server = server;
        resolvePromise();
      });
    });
  }

  private accept(client: net.Socket): void {
    const upstream = net.connect(this.targetPort, '127.0.0.1');
    const pair: Pair = { client, upstream, sse: false, held: null };
    this.pairs.add(pair);
    // Forwarded by hand rather than piped: pipe() resumes a paused source on 'drain', which would
    // undo a hold.
    client.on('data', (c: Buffer) => upstream.write(c));
    upstream.on('data', (c: Buffer) => {
      const text = c.toString('latin1');
      if (/content-type:\s*text\/event-stream/i.test(text)) pair.sse = true;
      if (pair.held) pair.held.push(c);
      else client.write(c);
      if (text.includes('data: [DONE]')) pair.sse = false;
    });
    const end = () => {
      this.pairs.delete(pair);
      client.destroy();
      upstream.destroy();
    };
    client.on('close', end);
    upstream.on('close', end);
    client.on('error', () => undefined);
    upstream.on('error', () => undefined);
  }

  /** Destroys every proxied connection on both sides, as a dropped network does. */
  cut(): number {
    const n = this.pairs.size;
    for (const p of [...this.pairs]) {
      p.client.destroy();
      p.upstream.destroy();
    }
    return n;
  }

  /** Stops accepting (new connections are refused) and cuts the open ones. */
  async down(): Promise<void> {
    const s = this.server;
    this.server = null;
    this.cut();
    if (s) await new Promise<void>((r) => s.close(() => r()));
  }

  /** Accepts again, on the same port (the page's origin). */
  up(): Promise<void> {
    return this.listen();
  }

  /** Holds back whatever the server sends on the event streams open now; returns how many. */
  holdStreams(): number {
    let n = 0;
    for (const p of this.pairs) {
      if (p.sse && !p.held) {
        p.held = [];
        n++;
      }
    }
    return n;
  }

  /** Delivers what was held, and lets the streams flow again. */
  release(): void {
    for (const p of this.pairs) {
      if (!p.held) continue;
      const held = p.held;
      p.held = null;
      for (const c of held) p.client.write(c);
    }
  }

  async close(): Promise<void> {
    await this.down();
  }
}
