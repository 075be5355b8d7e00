// The approvals inbox in Chromium against the whole platform: a requester asks Aura in one
// browser context, an approver sees the request appear in the inbox of another without a reload,
// opens it (the run replayed from its start, with the HITL card), approves; the requester's run
// continues to APPROVED and the request leaves every open inbox. With a 3-second HITL timeout (a
// platform of its own) the request moves to the Timed out tab and the case is on HOLD. Every
// wait is on a DOM state, never on time.
import type { Browser, Page } from 'playwright-core';
import { askAura, launchBrowser, login, newPage, openCase, startWebPlatform, testId, timeline, type WebPlatform } from './support';

jest.setTimeout(90_000);

let browser: Browser;
const opened: Page[] = [];

beforeAll(async () => {
  browser = await launchBrowser();
}, 60_000);
afterAll(async () => {
  await browser?.close();
});
afterEach(async () => {
  for (const p of opened.splice(0)) await p.context().close();
});

async function page(): Promise<Page> {
  const p = await newPage(browser);
  opened.push(p);
  return p;
}

async function openInbox(p: Page, url: string, user: 'approver' | 'admin'): Promise<void> {
  await login(p, url, user);
  await p.locator(testId('nav-approvals')).click();
  await p.locator(testId('approvals')).waitFor();
  // A mark on the window: still there at the end means the page was never reloaded.
  await p.evaluate('window.__noReload = true');
}

const notReloaded = async (p: Page) => (await p.evaluate('window.__noReload === true')) === true;
const item = (requestId: string) => `${testId('inbox-item')}[data-request-id="${requestId}"]`;

describe('with the default timeout', () => {
  let web: WebPlatform;
  beforeAll(async () => {
    web = await startWebPlatform();
  }, 60_000);
  afterAll(async () => {
    await web?.stop();
  });

  it('an approver sees the request appear live, opens the replayed run, approves; it leaves every inbox and the run continues', async () => {
    const [a, b, c] = await Promise.all([page(), page(), page()]);
    await openInbox(b, web.url, 'approver');
    await openInbox(c, web.url, 'admin');

    await login(a, web.url, 'requester');
    // The requester may not decide: no inbox in the nav for them.
    expect(await a.locator(testId('nav-approvals')).count()).toBe(0);
    await openCase(a, web.url, 'CASE-2026-0001');
    const { requestId, streamId } = await askAura(a);

    const row = b.locator(item(requestId));
    await row.waitFor();
    await c.locator(item(requestId)).waitFor();
    expect(await row.getAttribute('data-case-id')).toBe('CASE-2026-0001');
    const seconds = Number(await row.locator(testId('inbox-countdown')).getAttribute('data-seconds'));
    expect(seconds).toBeGreaterThan(0);
    expect(Number(await b.locator(testId('approvals-count')).textContent())).toBeGreaterThanOrEqual(1);
    // Filter by action type: the item stays when its own type is chosen.
    const action = (await row.locator(testId('inbox-action')).textContent()) ?? '';
    await b.locator(testId('inbox-action-filter')).selectOption(action);
    await row.waitFor();
    await b.locator(testId('inbox-case-filter')).selectOption('CASE-2026-0001');
    await row.waitFor();

    // Open: the case page joins the run's stream from its start.
    await row.locator(testId('inbox-open')).click();
    await b.locator(`${testId('case-detail')}[data-case-id="CASE-2026-0001"]`).waitFor();
    expect(b.url()).toContain(`stream=${encodeURIComponent(streamId)}`);
    const card = b.locator(testId('hitl-card', { outcome: 'pending' }));
    await card.waitFor();
    expect(await card.getAttribute('data-request-id')).toBe(requestId);
    const replayed = await timeline(b);
    expect(replayed[0]?.type).toBe('start');
    expect(replayed.some((x) => x.type === 'thought')).toBe(true);

    await b.locator(testId('hitl-approve')).click();
    await b.locator(testId('hitl-decided')).waitFor();
    // The requester's run continues on its open stream and the case is APPROVED.
    await a.locator(testId('agent-end')).waitFor();
    await a.locator(`${testId('case-status')}[data-value="APPROVED"]`).waitFor();
    // The admin's open inbox drops the item without a reload; the approver's list no longer has it.
    await c.locator(item(requestId)).waitFor({ state: 'detached' });
    expect(await notReloaded(c)).toBe(true);
    await b.locator(testId('nav-approvals')).click();
    await b.locator(testId('approvals')).waitFor();
    await b.locator(`${testId('inbox-empty')}, ${testId('inbox-list')}`).first().waitFor();
    expect(await b.locator(item(requestId)).count()).toBe(0);
  });
});

describe('with a 3-second HITL timeout', () => {
  let web: WebPlatform;
  beforeAll(async () => {
    web = await startWebPlatform({ HITL_TIMEOUT_SECONDS: '3' });
  }, 60_000);
  afterAll(async () => {
    await web?.stop();
  });

  it('a request nobody decides moves to the Timed out tab, live, and the case is on HOLD', async () => {
    const [a, b] = await Promise.all([page(), page()]);
    await openInbox(b, web.url, 'approver');
    await login(a, web.url, 'requester');
    await openCase(a, web.url, 'CASE-2026-0002');
    const { requestId } = await askAura(a);

    await b.locator(item(requestId)).waitFor();
    await b.locator(item(requestId)).waitFor({ state: 'detached' });
    await b.locator(testId('tab-expired')).click();
    const expired = b.locator(item(requestId));
    await expired.waitFor();
    expect(await expired.getAttribute('data-status')).toBe('expired');
    await a.locator(`${testId('case-status')}[data-value="HOLD"]`).waitFor();
    expect(await notReloaded(b)).toBe(true);
  });
});
