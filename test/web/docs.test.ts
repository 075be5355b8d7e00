// The API docs in Chromium against the whole platform: the Scalar reference renders the contract
// from /api/docs, "Try it" logs in through the gateway the page came from, the AsyncAPI docs open
// from its link, and no request ever leaves the gateway's origin (no CDN, fonts, telemetry or
// proxy). A missing Chromium or AsyncAPI render fails the file with a message saying how to get it.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Page, Request } from 'playwright-core';
import { CHANNELS } from '../../generated/redis';
import { startTestPlatform } from '../e2e/platform';
import { launchBrowser, newPage, recordRequests, REPO, shot, WAIT_MS } from './support';

jest.setTimeout(90_000);

let gateway: string;
let stop: (() => Promise<void>) | undefined;
let browser: Browser;
const opened: Page[] = [];

beforeAll(async () => {
  const index = join(REPO, 'generated', 'docs', 'asyncapi', 'index.html');
  if (!existsSync(index)) throw new Error(`The AsyncAPI docs are not generated (${index} is missing): run npm run generate before these tests.`);
  const [p, b] = await Promise.allSettled([startTestPlatform(), launchBrowser()]);
  if (p.status === 'fulfilled') {
    gateway = p.value.platform.urls.gateway;
    stop = p.value.stop;
  }
  if (b.status === 'fulfilled') browser = b.value;
  if (p.status === 'rejected') throw p.reason;
  if (b.status === 'rejected') throw b.reason;
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await stop?.();
});

afterEach(async () => {
  for (const p of opened.splice(0)) await p.context().close();
});

async function page(): Promise<{ p: Page; offOrigin: Request[]; refused: string[] }> {
  const p = await newPage(browser);
  opened.push(p);
  const origin = new URL(gateway).origin;
  // Every request the page makes, so "nothing left the origin" is checked, not assumed.
  const offOrigin = recordRequests(p, (r) => !r.url().startsWith('data:') && new URL(r.url()).origin !== origin);
  const refused: string[] = [];
  p.on('console', (m) => {
    if (/Content Security Policy/i.test(m.text())) refused.push(m.text());
  });
  return { p, offOrigin, refused };
}

it('renders the OpenAPI reference with Scalar, every request to the gateway origin', async () => {
  const { p, offOrigin, refused } = await page();
  await p.goto(`${gateway}/api/docs`);
  await p.getByText('Log in and receive a JWT').first().waitFor();
  await p.getByText('DWP platform HTTP contract').first().waitFor();
  await shot(p, 'docs-reference');
  expect(offOrigin.map((r) => r.url())).toEqual([]);
  expect(refused).toEqual([]);
});

it('"Try it" sends the request to the gateway the page was loaded from', async () => {
  const { p, offOrigin, refused } = await page();
  await p.goto(`${gateway}/api/docs`);
  const summary = p.getByText('Log in and receive a JWT').first();
  await summary.click();
  await p.getByRole('button', { name: 'Test Request' }).first().click();
  // The client is prefilled from the spec's example (approver / acme).
  // The button names its target: the page's own origin.
  const send = p.locator('button', { hasText: `Send post request to ${gateway}/api/auth/login` }).first();
  await send.waitFor();
  const answered = p.waitForResponse((r) => r.url() === `${gateway}/api/auth/login` && r.request().method() === 'POST', { timeout: WAIT_MS });
  await send.click();
  const res = await answered;
  expect(res.status()).toBe(200);
  expect(((await res.json()) as { data: { accessToken: string } }).data.accessToken).toEqual(expect.any(String));
  await shot(p, 'docs-try-it');
  expect(offOrigin.map((r) => r.url())).toEqual([]);
  expect(refused).toEqual([]);
});

it('links the AsyncAPI docs, which show the Redis channels', async () => {
  const { p, offOrigin, refused } = await page();
  await p.goto(`${gateway}/api/docs`);
  await p.locator('#asyncapi-link').click();
  await p.waitForURL(`${gateway}/api/docs/asyncapi`);
  await p.getByText(CHANNELS.hitlChannel.address).first().waitFor();
  await p.getByText(CHANNELS.caseAction.address).first().waitFor();
  // The UI script ran (it replaces the server-rendered markup and defines its global).
  await p.waitForFunction(() => typeof (window as unknown as { AsyncApiStandalone?: unknown }).AsyncApiStandalone !== 'undefined', undefined, { timeout: WAIT_MS });
  await shot(p, 'docs-asyncapi');
  expect(offOrigin.map((r) => r.url())).toEqual([]);
  expect(refused).toEqual([]);
});
