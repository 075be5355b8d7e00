// Message pacts verified against what the running services publish on Redis — and against
// deliberately broken providers (the captured message altered), which must fail: a contract
// check that cannot fail is not a check.
import { auraNotificationProviders, backendSignalProviders, startMessagePlatform, verifyMessages, type MessagePlatform, type MessageVerification } from './messages';

let env: MessagePlatform;
beforeAll(async () => {
  env = await startMessagePlatform();
}, 60_000);
afterAll(async () => env?.stop());

test('the signals the backend publishes on a decision satisfy Aura\'s pact', async () => {
  await verifyMessages('backend', backendSignalProviders(env));
}, 90_000);

test('the notifications Aura publishes satisfy the backend\'s pact', async () => {
  await verifyMessages('aura', auraNotificationProviders(env));
}, 120_000);

/**
 * The same verification, with one interaction's captured message changed on its way to the
 * verifier. `altered()` says the real message was captured and changed: a failure for another
 * reason (a provider state that did not come about) must not pass for the broken message.
 */
function broken(v: MessageVerification, description: string, change: (m: Record<string, unknown>) => Record<string, unknown>): MessageVerification & { altered(): boolean } {
  const ok = v.messageProviders[description];
  // The interaction being broken exists: a renamed one would fail verification for another reason.
  expect(ok).toBeDefined();
  let altered = false;
  const provider = async (d: Parameters<NonNullable<typeof ok>>[0]) => {
    const m = change((await ok!(d)) as Record<string, unknown>);
    altered = true;
    return m;
  };
  return { ...v, messageProviders: { ...v.messageProviders, [description]: provider }, altered: () => altered };
}

describe('a broken provider fails verification', () => {
  test('signal timestamp in milliseconds', async () => {
    const v = broken(backendSignalProviders(env), 'a HITL approval signal', (m) => ({ ...m, timestamp: Date.now() }));
    await expect(verifyMessages('backend', v)).rejects.toBeTruthy();
    expect(v.altered()).toBe(true);
  }, 90_000);

  test('approved as a string', async () => {
    const v = broken(auraNotificationProviders(env), 'a CASE_ACTION APPROVE notification', (m) => ({ ...m, approved: 'true' }));
    await expect(verifyMessages('aura', v)).rejects.toBeTruthy();
    expect(v.altered()).toBe(true);
  }, 120_000);

  test('NOTIFICATION category renamed', async () => {
    const v = broken(auraNotificationProviders(env), 'a RAG_STATUS notification', (m) => ({ ...m, category: 'RAG_DONE' }));
    await expect(verifyMessages('aura', v)).rejects.toBeTruthy();
    expect(v.altered()).toBe(true);
  }, 120_000);
});
