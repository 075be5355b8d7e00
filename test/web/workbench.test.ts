// The workbench in Chromium against the whole platform: login, the agent run with its HITL card
// (who-may-do-what: a requester asks, an approver or admin decides in another browser that opened
// the run link, four-eyes keeps the run's starter from deciding), pushes reaching the other signed-in
// browser, a cut network and a reload in the middle of a run, notifications, an analysis run, errors,
// an expired token, and a phone-sized layout. Every wait is on a DOM state or a network event, never
// on time.
import type { Browser, Page } from 'playwright-core';
import { approveHitl, ingestRagDocument, startAgentStream, startCaseAnalysis, streamAnalysisRun } from '../../generated/sdk';
import {
  assertAgentOrder,
  assertNoDuplicateIds,
  askAura,
  LAST_EVENT_ID,
  launchBrowser,
  login,
  newPage,
  nodeClient,
  openCase,
  recordRequests,
  serverTimeline,
  shot,
  startWebPlatform,
  TcpProxy,
  testId,
  timeline,
  TENANT,
  USERS,
  waitForStreamState,
  WAIT_MS,
  type UserName,
  type WebPlatform,
} from './support';
import { token } from '../support/auth';

jest.setTimeout(60_000);

let web: WebPlatform;
let browser: Browser;
const opened: Page[] = [];

beforeAll(async () => {
  const [w, b] = await Promise.allSettled([startWebPlatform(), launchBrowser()]);
  if (w.status === 'fulfilled') web = w.value;
  if (b.status === 'fulfilled') browser = b.value;
  if (w.status === 'rejected') throw w.reason;
  if (b.status === 'rejected') throw b.reason;
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await web?.stop();
});

afterEach(async () => {
  for (const p of opened.splice(0)) await p.context().close();
});

async function page(options: Parameters<typeof newPage>[1] = {}): Promise<Page> {
  const p = await newPage(browser, options);
  opened.push(p);
  return p;
}

/** A mark on the page's window: still there later means the page was never reloaded. */
async function markPage(p: Page): Promise<void> {
  await p.evaluate('window.__noReload = true');
}
async function notReloaded(p: Page): Promise<boolean> {
  return (await p.evaluate('window.__noReload === true')) === true;
}

async function unread(p: Page): Promise<number> {
  const badge = p.locator(testId('unread-count'));
  return (await badge.count()) ? Number(await badge.textContent()) : 0;
}

// A function, not a string: the workbench's CSP has no 'unsafe-eval', and a string predicate is eval'd.
function waitForUnreadAbove(p: Page, n: number): Promise<unknown> {
  return p.waitForFunction((min) => Number(document.querySelector('[data-testid="unread-count"]')?.textContent ?? '0') > min, n, { timeout: WAIT_MS });
}

/** Waits until at least `n` elements match: the (n-1)th one exists. */
function waitForCount(p: Page, selector: string, n: number): Promise<void> {
  return p.locator(selector).nth(n - 1).waitFor({ state: 'attached' });
}

async function openBell(p: Page): Promise<void> {
  if ((await p.locator(testId('notif-panel')).count()) === 0) await p.locator(testId('bell')).click();
  await p.locator(testId('notif-panel')).waitFor();
}

async function closeBell(p: Page): Promise<void> {
  if (await p.locator(testId('notif-panel')).count()) await p.locator(testId('bell')).click();
  await p.locator(testId('notif-panel')).waitFor({ state: 'detached' });
}

/** The page's notification stream is connected (its state is shown in the bell's panel). */
async function notificationsLive(p: Page): Promise<void> {
  await openBell(p);
  await waitForStreamState(p, 'open', 'notif-connection');
  await closeBell(p);
}

/** The agent stream requests a page makes: a new run (POST) or a join of an existing one. */
function streamRequests(p: Page) {
  return recordRequests(p, (r) => /\/api\/aura\/(test\/stream|streams\/)/.test(new URL(r.url()).pathname));
}

/** The card as the run's starter sees it: read-only for the given reason, no button offered. */
async function assertReadOnly(p: Page, requestId: string, reason: 'four-eyes' | 'role'): Promise<void> {
  const card = p.locator(testId('hitl-card', { 'request-id': requestId, outcome: 'pending' }));
  await card.locator(testId('hitl-readonly', { reason })).waitFor();
  expect(await card.locator(testId('hitl-readonly')).count()).toBe(1);
  expect(await card.locator(`${testId('hitl-approve')}, ${testId('hitl-reject')}`).count()).toBe(0);
}

/**
 * Another person follows the run link (signed in as `user`, at `baseUrl`): the run is replayed and
 * the card is there, undecided. With `decides` the card's buttons are waited for.
 */
async function followRun(user: UserName, baseUrl: string, caseId: string, streamId: string, requestId: string, decides = true): Promise<Page> {
  const p = await page();
  await login(p, baseUrl, user);
  await openCase(p, baseUrl, caseId, streamId);
  await p.locator(testId('hitl-card', { 'request-id': requestId, outcome: 'pending' })).waitFor();
  if (decides) await p.locator(testId('hitl-approve')).waitFor();
  return p;
}

it('signs in, shows a wrong password as E2004 with its trace id, switches language, and signs out to the login page', async () => {
  const p = await page();
  await p.goto(`${web.url}/`);
  await p.locator(testId('login-form')).waitFor();
  await shot(p, 'login');

  await login(p, web.url, 'approver', { password: 'not-the-password', expectFailure: true });
  const err = p.locator(testId('login-error'));
  expect(await err.locator(testId('error-code')).textContent()).toContain('E2004');
  expect((await err.locator(testId('error-message')).textContent())?.trim()).not.toBe('');
  expect((await err.locator(testId('error-trace')).textContent())?.trim()).toMatch(/\S{8,}/);
  expect(await p.locator(testId('current-user')).count()).toBe(0);

  // The page follows the browser's en-US; the switch turns the same screen Korean and back.
  expect(await p.locator('#login-title').textContent()).toBe('Sign in');
  await p.locator(testId('lang-switch')).click();
  await p.locator('#login-title', { hasText: '로그인' }).waitFor();
  expect(await p.evaluate('document.documentElement.lang')).toBe('ko');
  expect(await p.locator('label', { hasText: '비밀번호' }).count()).toBe(1);
  await p.locator(testId('lang-switch')).click();
  await p.locator('#login-title', { hasText: 'Sign in' }).waitFor();

  await login(p, web.url, 'approver');
  await p.locator(testId('case-row')).first().waitFor();
  const ids = await p.locator(testId('case-row')).evaluateAll((rows) => rows.map((r) => r.getAttribute('data-case-id')));
  expect(ids.sort()).toEqual(['CASE-2026-0001', 'CASE-2026-0002', 'CASE-2026-0003', 'CASE-2026-0004', 'CASE-2026-0005']);
  expect(await p.locator(testId('current-user')).textContent()).toContain(`approver @ ${TENANT}`);
  await shot(p, 'case-list');

  await p.locator(testId('logout')).click();
  await p.locator(testId('login-form')).waitFor();
  expect(await p.locator(testId('login-reason')).textContent()).toBe('You are signed out.');
  expect(await p.locator(testId('case-row')).count()).toBe(0);
  expect(await p.evaluate("sessionStorage.getItem('dwp.session')")).toBeNull();
});

it('asks Aura, shows the run in contract order up to the HITL card, another person approves, and the same stream finishes while both browsers get the push', async () => {
  const caseId = 'CASE-2026-0002';
  const a = await page();
  await login(a, web.url, 'requester');
  await openCase(a, web.url, caseId);
  expect(await a.locator(testId('case-status')).getAttribute('data-value')).toBe('OPEN');
  // A's live notification stream is open, so the push below has somewhere to go.
  await notificationsLive(a);
  const aUnread = await unread(a);
  await markPage(a);
  const aStreams = streamRequests(a);

  const { requestId, streamId } = await askAura(a);
  const upToHitl = await timeline(a);
  assertAgentOrder(upToHitl, 'pending');
  assertNoDuplicateIds(upToHitl);
  expect(await a.locator(testId('plan-step')).count()).toBeGreaterThan(0);
  expect(await a.locator(testId('hitl-card')).getAttribute('data-request-id')).toBe(requestId);
  // Four-eyes: A started the run, so A's card says so and offers no decision.
  await assertReadOnly(a, requestId, 'four-eyes');
  expect(await a.locator(testId('run-link')).getAttribute('href')).toBe(`#/cases/${caseId}?stream=${streamId}`);
  await shot(a, 'case-detail-stream');
  await shot(a.locator(testId('hitl-card')), 'hitl-card-four-eyes');

  // The approver follows the run link: the same events replayed, and the card with its buttons.
  const b = await followRun('approver', web.url, caseId, streamId, requestId);
  await markPage(b);
  expect(await timeline(b)).toEqual(upToHitl);
  expect(await b.locator(testId('hitl-readonly')).count()).toBe(0);
  await shot(b.locator(testId('hitl-card')), 'hitl-card');
  await b.locator(testId('hitl-approve')).click();
  await b.locator(testId('hitl-decided')).waitFor();

  // A's one stream goes on in place: the tool succeeds, the answer comes, the run ends approved.
  await a.locator(testId('agent-end', { status: 'approved' })).waitFor();
  const full = await timeline(a);
  assertAgentOrder(full, 'approved');
  assertNoDuplicateIds(full);
  // The events before the decision are the same ones, and every event is of the one stream.
  expect(full.slice(0, upToHitl.length)).toEqual(upToHitl);
  expect(full.every((e) => e.id.startsWith(`${streamId}:`))).toBe(true);
  expect(aStreams.length).toBe(1);
  expect(await a.locator(testId('hitl-card')).getAttribute('data-outcome')).toBe('approved');
  expect(await a.locator(testId('hitl-decided')).count()).toBe(0);
  expect((await a.locator(testId('agent-answer')).textContent())?.trim()).not.toBe('');
  expect(await a.locator(testId('plan-step', { status: 'completed' })).count()).toBeGreaterThan(0);
  await b.locator(testId('agent-end', { status: 'approved' })).waitFor();
  expect(await timeline(b)).toEqual(full);

  // The decision changed the case; both pages show it without a reload.
  for (const p of [a, b]) {
    await p.locator(testId('case-status', { value: 'APPROVED' })).waitFor();
    await p.locator(testId('document-status', { value: 'APPROVED' })).waitFor();
    await p.locator(testId('action-row', { 'request-id': requestId, status: 'APPROVED' })).waitFor();
    expect(await p.locator(testId('action-row', { 'request-id': requestId })).textContent()).toContain(USERS.approver.userId);
    expect(await notReloaded(p)).toBe(true);
  }

  // The requester's bell: pushed on the notification stream, no reload, no polling.
  await waitForUnreadAbove(a, aUnread);
  await openBell(a);
  await a.locator(testId('notif-item', { type: 'CASE_ACTION' }), { hasText: caseId }).first().waitFor();
  expect(await notReloaded(a)).toBe(true);
  await shot(a, 'notifications-open');
});

it('requires a reason to reject, and the second decider (following the run link) gets the 409 naming who decided first and what', async () => {
  const caseId = 'CASE-2026-0003';
  const reason = 'Paid already under 5100000123';
  const a = await page();
  await login(a, web.url, 'requester');
  await openCase(a, web.url, caseId);
  const { requestId, streamId } = await askAura(a);
  await assertReadOnly(a, requestId, 'four-eyes');
  const aBefore = await timeline(a);

  // The approver decides first; the admin's browser goes through a proxy that can hold back what
  // its streams deliver.
  const b = await followRun('approver', web.url, caseId, streamId, requestId);
  const rejects = recordRequests(b, (r) => r.method() === 'POST' && r.url().includes('/api/aura/hitl/'));
  expect(await timeline(b)).toEqual(aBefore);
  const proxy = await TcpProxy.start(web.gatewayPort);
  try {
    const c = await followRun('admin', proxy.url, caseId, streamId, requestId);
    // The run was replayed from its start: the same events, with the same ids.
    expect(await timeline(c)).toEqual(aBefore);
    await waitForStreamState(c, 'open');
    // C's page now shows the run as undecided, as a slow link would keep showing it.
    expect(proxy.holdStreams()).toBeGreaterThanOrEqual(1);

    await b.locator(testId('hitl-reject')).click();
    await b.locator(testId('hitl-reason')).waitFor();
    await b.locator(testId('hitl-confirm-reject')).click();
    await b.getByRole('alert').filter({ hasText: 'Give a reason to reject.' }).waitFor();
    expect(await b.locator(testId('hitl-reason')).getAttribute('aria-invalid')).toBe('true');
    expect(await b.evaluate('document.activeElement?.dataset?.testid')).toBe('hitl-reason');
    expect(rejects.length).toBe(0);
    await b.locator(testId('hitl-reason')).fill(reason);
    await b.locator(testId('hitl-confirm-reject')).click();
    await b.locator(testId('hitl-decided')).waitFor();
    // The empty attempt sent nothing: this reject is the only decision request the page made.
    expect(rejects.map((r) => new URL(r.url()).pathname)).toEqual([`/api/aura/hitl/reject/${requestId}`]);

    // The requester's stream goes on to its end, rejected.
    await a.locator(testId('agent-end', { status: 'rejected' })).waitFor();
    assertAgentOrder(await timeline(a), 'rejected');
    await a.locator(testId('case-status', { value: 'REJECTED' })).waitFor();
    await a.locator(testId('action-row', { 'request-id': requestId, status: 'REJECTED' }), { hasText: reason }).waitFor();

    expect(await c.locator(testId('hitl-card')).getAttribute('data-outcome')).toBe('pending');
    await c.locator(testId('hitl-approve')).click();
    const conflict = c.locator(testId('hitl-conflict'));
    await conflict.waitFor();
    const text = (await conflict.textContent()) ?? '';
    expect(text).toContain(`Already decided by ${USERS.approver.userId}: Rejected`);
    expect(text).toContain(reason);
    expect(await c.locator(testId('hitl-decided')).count()).toBe(0);

    proxy.release();
    await c.locator(testId('hitl-card', { outcome: 'rejected' })).waitFor();
    await c.locator(testId('agent-end', { status: 'rejected' })).waitFor();
    const cFull = await timeline(c);
    assertNoDuplicateIds(cFull);
    expect(cFull).toEqual(await timeline(a));
    await c.locator(testId('case-status', { value: 'REJECTED' })).waitFor();
  } finally {
    await proxy.close();
  }
});

it("shows a requester following someone else's run link the card read-only for their role, and lets an admin decide an approver's run", async () => {
  const caseId = 'CASE-2026-0003';
  // An approver's own run: four-eyes binds an approver too.
  const a = await page();
  await login(a, web.url, 'approver');
  await openCase(a, web.url, caseId);
  const { requestId, streamId } = await askAura(a);
  await assertReadOnly(a, requestId, 'four-eyes');
  const before = await timeline(a);

  const r = await followRun('requester', web.url, caseId, streamId, requestId, false);
  await assertReadOnly(r, requestId, 'role');
  expect(await r.locator(testId('hitl-readonly')).textContent()).toContain('REQUESTER');
  expect(await timeline(r)).toEqual(before);
  await shot(r.locator(testId('hitl-card')), 'hitl-card-role');

  const c = await followRun('admin', web.url, caseId, streamId, requestId);
  expect(await c.locator(testId('hitl-readonly')).count()).toBe(0);
  await c.locator(testId('hitl-approve')).click();
  await c.locator(testId('hitl-decided')).waitFor();
  for (const p of [a, r, c]) {
    await p.locator(testId('agent-end', { status: 'approved' })).waitFor();
    await p.locator(testId('case-status', { value: 'APPROVED' })).waitFor();
    await p.locator(testId('action-row', { 'request-id': requestId, status: 'APPROVED' }), { hasText: USERS.admin.userId }).waitFor();
  }
  const full = await timeline(a);
  assertAgentOrder(full, 'approved');
  expect(await timeline(r)).toEqual(full);
  // Neither read-only page ever offered a button.
  expect(await r.locator(testId('hitl-decided')).count()).toBe(0);
  expect(await a.locator(testId('hitl-decided')).count()).toBe(0);
});

it('survives a network cut in the middle of a run: reconnects with Last-Event-ID, and shows the same events in the same order as an uncut run, none twice', async () => {
  const caseId = 'CASE-2026-0004';
  const proxy = await TcpProxy.start(web.gatewayPort);
  try {
    // The requester's page crosses the proxy; the approver decides from another browser, not cut.
    const p = await page();
    await login(p, proxy.url, 'requester');
    await openCase(p, proxy.url, caseId);
    await markPage(p);

    // The uncut run, as the reference.
    const first = await askAura(p);
    const b = await followRun('approver', web.url, caseId, first.streamId, first.requestId);
    await b.locator(testId('hitl-approve')).click();
    await p.locator(testId('agent-end', { status: 'approved' })).waitFor();
    const reference = (await timeline(p)).map((e) => e.type);

    // The same question again, cut after the HITL card.
    const { requestId, streamId } = await askAura(p);
    const beforeCut = await timeline(p);
    const isResume = (r: { url(): string; headers(): Record<string, string> }) => r.url().includes('/api/aura/test/stream') && !!r.headers()[LAST_EVENT_ID];
    const failedResume = p.waitForEvent('requestfailed', { predicate: isResume });
    await proxy.down();
    // While the link is down every resume attempt is refused and the page says it is reconnecting.
    const failed = await failedResume;
    expect(failed.headers()[LAST_EVENT_ID]).toBe(beforeCut[beforeCut.length - 1].id);
    expect(['reconnecting', 'connecting']).toContain(await p.locator(testId('agent-connection')).getAttribute('data-state'));
    const resumed = p.waitForResponse((r) => isResume(r.request()) && r.status() === 200);
    await proxy.up();
    await resumed;
    await waitForStreamState(p, 'open');
    await assertReadOnly(p, requestId, 'four-eyes');

    // The approver follows the new run's link in the same page and approves.
    await openCase(b, web.url, caseId, streamId);
    await b.locator(testId('hitl-card', { 'request-id': requestId, outcome: 'pending' })).locator(testId('hitl-approve')).click();
    await b.locator(testId('hitl-decided')).waitFor();
    await p.locator(testId('agent-end', { status: 'approved' })).waitFor();
    const cut = await timeline(p);
    assertNoDuplicateIds(cut);
    assertAgentOrder(cut, 'approved');
    expect(cut.map((e) => e.type)).toEqual(reference);
    expect(cut.slice(0, beforeCut.length)).toEqual(beforeCut);
    // Nothing lost: exactly what the server logged for the stream.
    const server = await serverTimeline(await nodeClient(web.url, 'approver'), streamId);
    expect(cut.map(({ id, type }) => ({ id, type }))).toEqual(server);
    expect(await notReloaded(p)).toBe(true);
  } finally {
    await proxy.close();
  }
});

it('rejoins the same run after a page reload mid-stream (Last-Event-ID) and completes it with the decision, no event doubled or lost', async () => {
  const caseId = 'CASE-2026-0005';
  const p = await page();
  await login(p, web.url, 'requester');
  await openCase(p, web.url, caseId);
  const { requestId, streamId } = await askAura(p);
  const before = await timeline(p);

  const rejoin = p.waitForRequest((r) => r.url().endsWith(`/api/aura/streams/${encodeURIComponent(streamId)}`));
  await p.reload();
  const req = await rejoin;
  expect(req.headers()[LAST_EVENT_ID]).toBe(before[before.length - 1].id);
  await p.locator(testId('hitl-card', { 'request-id': requestId, outcome: 'pending' })).waitFor();
  await waitForStreamState(p, 'open');
  expect(await timeline(p)).toEqual(before);
  // After the reload the page still knows whose run it is.
  await assertReadOnly(p, requestId, 'four-eyes');

  const b = await followRun('approver', web.url, caseId, streamId, requestId);
  await b.locator(testId('hitl-approve')).click();
  await p.locator(testId('agent-end', { status: 'approved' })).waitFor();
  const after = await timeline(p);
  assertNoDuplicateIds(after);
  assertAgentOrder(after, 'approved');
  expect(after.slice(0, before.length)).toEqual(before);
  const server = await serverTimeline(await nodeClient(web.url, 'approver'), streamId);
  expect(after.map(({ id, type }) => ({ id, type }))).toEqual(server);
  await p.locator(testId('case-status', { value: 'APPROVED' })).waitFor();
});

it('rings the bell for a pushed CASE_ACTION, and shows RAG_STATUS after an ingest and AI_DETECT after a HIGH analysis', async () => {
  const p = await page();
  await login(p, web.url, 'approver');
  await notificationsLive(p);
  const client = await nodeClient(web.url, 'requester');
  const approver = await nodeClient(web.url, 'approver');
  const items = (type: string) => `${testId('notif-item', { type })}`;

  // A decision made elsewhere (other clients of the same tenant: the requester's run, decided by
  // the approver's client, not this page) reaches this page as a push.
  const before = await unread(p);
  let requestId = '';
  const body = { prompt: 'Check this case', context: { caseId: 'CASE-2026-0002' } };
  for await (const ev of startAgentStream(client, { body }, { signal: AbortSignal.timeout(WAIT_MS) })) {
    if (ev.event === 'hitl') {
      requestId = ev.data.requestId;
      await approveHitl(approver, { params: { requestId }, body: {} });
    }
  }
  expect(requestId).not.toBe('');
  await waitForUnreadAbove(p, before);
  await openBell(p);
  await p.locator(items('CASE_ACTION')).filter({ hasText: 'CASE-2026-0002' }).filter({ hasText: '조치 승인됨' }).first().waitFor();
  // A healthy panel shows no error box (react-query's `null` error once showed as "null").
  expect(await p.locator(`${testId('notif-panel')} ${testId('error')}`).count()).toBe(0);

  // Other test files' platforms publish on the same Redis channels (and seed the same tenant),
  // so their notifications may show up here too: counts are compared, never fixed.
  const rag = await p.locator(items('RAG_STATUS')).count();
  const unreadBeforeRag = await unread(p);
  const ingested = await ingestRagDocument(client, {
    body: { title: '지급 규정 (web test)', kind: 'regulation', content: '제1조 (목적) 이 규정은 지급 절차를 정한다.\n제2조 (한도) ① 건당 1억원을 초과하는 지급은 승인이 필요하다.' },
  });
  expect(ingested.data.chunksAdded).toBeGreaterThan(0);
  await waitForCount(p, items('RAG_STATUS'), rag + 1);
  await waitForUnreadAbove(p, unreadBeforeRag);
  expect(await p.locator(items('RAG_STATUS')).first().textContent()).toContain('학습 완료');

  // The seeded evidence alone scores MEDIUM (next test); a policy threshold below the amounts adds
  // AMOUNT_OVER_POLICY to the duplicate, which is HIGH, and a HIGH result is published as AI_DETECT.
  const ai = await p.locator(items('AI_DETECT')).count();
  const started = await startCaseAnalysis(client, { params: { caseId: 'CASE-2026-0001' }, body: { mode: 'FULL', options: { amountThreshold: 1 } } });
  let severity = '';
  for await (const ev of streamAnalysisRun(client, { params: { runId: started.data.runId } }, { signal: AbortSignal.timeout(WAIT_MS) })) {
    if (ev.event === 'completed') severity = ev.data.severity;
  }
  expect(severity).toBe('HIGH');
  await waitForCount(p, items('AI_DETECT'), ai + 1);
  expect(await p.locator(items('AI_DETECT'), { hasText: 'CASE-2026-0001' }).count()).toBeGreaterThan(0);
  await shot(p, 'notifications-all-kinds');
});

it('runs an analysis from the case page: evidence with the body_evidence document line first, proposals and the result', async () => {
  const caseId = 'CASE-2026-0001';
  const p = await page();
  await login(p, web.url, 'approver');
  await openCase(p, web.url, caseId);

  await p.locator(testId('analysis-start')).click();
  const result = p.locator(testId('analysis-result'));
  await result.waitFor();
  await waitForStreamState(p, 'closed', 'analysis-connection');
  const evidence = p.locator(testId('analysis-evidence'));
  const line = evidence.locator('[data-evidence-type="document_line"]');
  expect(await line.count()).toBe(1);
  expect(await line.locator('summary').textContent()).toContain('Document line looked at first');
  // The seeded case names BELNR 5100000187 / BUZEI 001 in body_evidence: that line is read first.
  expect(await p.locator(testId('analysis-progress')).textContent()).toMatch(/reading \S*5100000187\S* first/);
  expect(await evidence.locator('[data-evidence-type="rule_hit"]').textContent()).toContain('DUPLICATE_INVOICE');
  expect(await p.locator(`${testId('analysis-proposals')} [data-proposal-type="PAYMENT_BLOCK"]`).count()).toBe(1);
  expect(await p.locator(testId('analysis-confidence')).count()).toBe(1);
  // Duplicate alone weighs 0.5: MEDIUM, so this run publishes no AI_DETECT (the test above makes one).
  expect(await result.getAttribute('data-severity')).toBe('MEDIUM');
  expect(await result.textContent()).toContain(caseId);
  await shot(p, 'analysis');
});

it('shows an error envelope with its message, code and trace id instead of a blank page', async () => {
  const p = await page();
  await login(p, web.url, 'approver');
  const answer = p.waitForResponse((r) => r.url().endsWith('/api/main/cases/NO-SUCH-CASE'));
  await p.goto(`${web.url}/#/cases/NO-SUCH-CASE`);
  const res = await answer;
  expect(res.status()).toBe(404);
  const envelope = (await res.json()) as { errorCode: string; message: string; traceId: string };
  const box = p.locator(testId('error'));
  await box.waitFor();
  expect(await box.locator(testId('error-message')).textContent()).toBe(envelope.message);
  expect(await box.locator(testId('error-code')).textContent()).toBe('E1004 (HTTP 404)');
  expect(await box.locator(testId('error-trace')).textContent()).toBe(envelope.traceId);
  expect(envelope.traceId).toMatch(/\S{8,}/);
  // The rest of the page is still there.
  expect(await p.locator(testId('current-user')).isVisible()).toBe(true);
  expect(await p.locator(testId('case-detail')).count()).toBe(0);
});

it('sends the user back to the login page with the expiry message when the server answers 401 for an expired token', async () => {
  const p = await page();
  await login(p, web.url, 'approver');
  // Expired by the server's clock, while the page still believes it is valid: the 401 must do it.
  const expired = token(USERS.approver.userId, TENANT, { role: 'APPROVER', now: new Date(Date.now() - 7200_000), ttlSeconds: 3600 });
  await p.evaluate(
    `(() => { const s = JSON.parse(sessionStorage.getItem('dwp.session')); s.token = ${JSON.stringify(expired)}; s.expiresAt = Date.now() + 3600000; sessionStorage.setItem('dwp.session', JSON.stringify(s)); })()`,
  );
  const unauthorized = p.waitForResponse((r) => r.url().includes('/api/') && r.status() === 401);
  await p.reload();
  const res = await unauthorized;
  expect(((await res.json()) as { errorCode: string }).errorCode).toBe('E2002');
  await p.locator(testId('login-form')).waitFor();
  expect(await p.locator(testId('login-reason')).textContent()).toBe('Your session has expired. Please sign in again.');
  expect(await p.evaluate("sessionStorage.getItem('dwp.session')")).toBeNull();
});

/** Every visible form control is found by its label text through getByLabel. */
async function assertLabelled(p: Page): Promise<number> {
  const labels = await p.locator('input:visible, textarea:visible, select:visible').evaluateAll((els) =>
    els.map((el, i) => {
      el.setAttribute('data-a11y-i', String(i));
      const label = (el as HTMLInputElement).labels?.[0];
      const own = label ? [...label.childNodes].filter((n) => n.nodeType === 3).map((n) => n.textContent).join('').trim() : '';
      return own || el.getAttribute('aria-label') || '';
    }),
  );
  for (const [i, text] of labels.entries()) {
    if (!text) throw new Error(`form control #${i} has no label`);
    const found = await p.getByLabel(text).evaluateAll((els) => els.map((e) => e.getAttribute('data-a11y-i')));
    if (!found.includes(String(i))) throw new Error(`getByLabel(${JSON.stringify(text)}) does not find control #${i}`);
  }
  return labels.length;
}

async function assertNoHorizontalOverflow(p: Page, where: string): Promise<void> {
  const { scrollWidth, innerWidth } = (await p.evaluate('({ scrollWidth: document.documentElement.scrollWidth, innerWidth })')) as { scrollWidth: number; innerWidth: number };
  if (scrollWidth > innerWidth) throw new Error(`${where}: the page scrolls sideways (${scrollWidth} px wide in ${innerWidth} px)`);
}

it('works at 390×844 and by keyboard: no sideways scrolling, every input labelled, Tab through the login and Enter to submit', async () => {
  const p = await page({ viewport: { width: 390, height: 844 } });
  await p.goto(`${web.url}/`);
  await p.locator(testId('login-form')).waitFor();
  expect(await assertLabelled(p)).toBe(3);
  await assertNoHorizontalOverflow(p, 'login');

  const focused = () => p.evaluate('document.activeElement?.getAttribute("name") ?? document.activeElement?.tagName');
  expect(await focused()).toBe('tenantId');
  await p.keyboard.press('Tab');
  expect(await focused()).toBe('username');
  await p.keyboard.type(USERS.approver.username);
  await p.keyboard.press('Tab');
  expect(await focused()).toBe('password');
  await p.keyboard.type(USERS.approver.password);
  await p.keyboard.press('Enter');
  await p.locator(testId('case-row')).first().waitFor();
  expect(await assertLabelled(p)).toBeGreaterThanOrEqual(1);
  await assertNoHorizontalOverflow(p, 'case list');
  await shot(p, 'case-list-390');

  // The requester asked from another browser; the phone follows the run link and decides.
  const caseId = 'CASE-2026-0002';
  const asker = await page();
  await login(asker, web.url, 'requester');
  await openCase(asker, web.url, caseId);
  const { requestId, streamId } = await askAura(asker);
  await openCase(p, web.url, caseId, streamId);
  await p.locator(testId('hitl-card', { 'request-id': requestId, outcome: 'pending' })).waitFor();
  await p.locator(testId('hitl-reject')).click();
  await p.locator(testId('hitl-reason')).waitFor();
  expect(await assertLabelled(p)).toBeGreaterThanOrEqual(2);
  await assertNoHorizontalOverflow(p, 'case detail with a run');
  await shot(p, 'case-detail-390');
  await p.locator(testId('hitl-reason')).fill('Checked on the phone');
  await p.locator(testId('hitl-confirm-reject')).click();
  await p.locator(testId('agent-end', { status: 'rejected' })).waitFor();
  await assertNoHorizontalOverflow(p, 'case detail after the run');
  await asker.locator(testId('agent-end', { status: 'rejected' })).waitFor();
});
