// The generated SDK in Chromium, not in Node: its JSON calls and its SSE client against the real
// platform, with the browser's fetch. Node's fetch does not care what `this` it is called with;
// the browser's throws "Illegal invocation" unless it is called as a plain function, so an SDK
// that stores fetch and calls it as a method passes every Node test and breaks every page.
import { join } from 'node:path';
import { build } from 'esbuild';
import type { Browser, Page } from 'playwright-core';
import { ERROR_CODES } from '../../generated/contract';
import type { SdkRunInput, SdkRunResult } from './sdk-entry';
import { launchBrowser, newPage, TENANT, USERS, type WebPlatform, startWebPlatform } from './support';

jest.setTimeout(60_000);

let web: WebPlatform;
let browser: Browser;
let bundle: string;

beforeAll(async () => {
  const [w, b, out] = await Promise.allSettled([
    startWebPlatform(),
    launchBrowser(),
    build({ entryPoints: [join(__dirname, 'sdk-entry.ts')], bundle: true, format: 'esm', platform: 'browser', target: 'es2022', write: false, logLevel: 'silent' }),
  ]);
  if (w.status === 'fulfilled') web = w.value;
  if (b.status === 'fulfilled') browser = b.value;
  for (const r of [w, b, out]) if (r.status === 'rejected') throw r.reason;
  const files = (out as PromiseFulfilledResult<Awaited<ReturnType<typeof build>>>).value.outputFiles;
  if (!files?.length) throw new Error('esbuild wrote no bundle for test/web/sdk-entry.ts');
  bundle = files[0].text;
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await web?.stop();
});

/** The workbench's own origin (so '' is the gateway), with the SDK bundle injected past its CSP. */
async function sdkPage(): Promise<Page> {
  const page = await newPage(browser, { bypassCSP: true });
  await page.goto(`${web.url}/`);
  await page.addScriptTag({ content: bundle, type: 'module' });
  await page.waitForFunction(() => '__sdkTest' in globalThis);
  return page;
}

it('calls fetch the way the browser requires: a fetch taken off window and called as a method is refused (the control)', async () => {
  const page = await sdkPage();
  try {
    const outcome = await page.evaluate(() =>
      ({ f: window.fetch })
        .f('/health')
        .then(
          () => 'resolved',
          (err: Error) => `${err.name}: ${err.message}`,
        ),
    );
    expect(outcome).toMatch(/^TypeError: .*Illegal invocation/);
  } finally {
    await page.context().close();
  }
});

it('logs in, lists and reads cases, reports a 404 with its trace id, and reads an agent stream to hitl, another user approves, and on to [DONE]', async () => {
  const page = await sdkPage();
  try {
    // The requester asks; the approver (a second session in the same page) decides: four-eyes.
    const { username, password } = USERS.requester;
    const input: SdkRunInput = { tenantId: TENANT, username, password, caseId: 'CASE-2026-0001', decider: USERS.approver };
    const r = (await page.evaluate((i) => (globalThis as unknown as { __sdkTest: { run(i: SdkRunInput): Promise<SdkRunResult> } }).__sdkTest.run(i), input)) as SdkRunResult;

    expect(r.login).toEqual({ userId: USERS.requester.userId, tenantId: TENANT, tokenType: 'Bearer' });
    expect([...r.caseIds].sort()).toEqual(['CASE-2026-0001', 'CASE-2026-0002', 'CASE-2026-0003', 'CASE-2026-0004', 'CASE-2026-0005']);
    // Its status is whatever this database holds now (other suites decide on the same seeded cases
    // over the shared Redis); the read is what is under test.
    expect(r.detail).toEqual({ caseId: 'CASE-2026-0001', status: expect.stringMatching(/^(OPEN|IN_REVIEW|APPROVED|REJECTED|HOLD|CLOSED)$/) });
    expect(r.notFound).toEqual({ name: 'DwpApiError', status: ERROR_CODES.E1004.status, errorCode: 'E1004', traceId: expect.stringMatching(/\S{8,}/), message: expect.any(String) });

    const names = r.events.map((e) => e.event);
    expect(names[0]).toBe('start');
    const hitlAt = names.indexOf('hitl');
    expect(hitlAt).toBeGreaterThan(0);
    // After the decision the same stream goes on: the proposed tool succeeds, the answer, the end.
    expect(r.events.slice(hitlAt + 1).map((e) => (e.event === 'tool_execution' ? `${e.event}:${e.status}` : e.event))).toEqual(['tool_execution:success', 'content', 'end']);
    expect(r.events[r.events.length - 1].status).toBe('approved');
    const streamId = r.events[0].id?.slice(0, r.events[0].id.lastIndexOf(':'));
    expect(streamId).toBeTruthy();
    expect(r.events.every((e) => e.id?.startsWith(`${streamId}:`))).toBe(true);
    expect(new Set(r.events.map((e) => e.id)).size).toBe(r.events.length);
    expect(r.decision).toMatchObject({ status: 'approved' });
    // One connection from open to [DONE]: no reconnect was needed to see the outcome.
    expect(r.states).toEqual(['connecting', 'open', 'closed']);
  } finally {
    await page.context().close();
  }
});
