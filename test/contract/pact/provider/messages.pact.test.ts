// Message providers verified with the real factories — and deliberately broken ones, which must
// fail: a contract check that cannot fail is not a check.
import { auraNotificationProviders, backendSignalProviders, verifyMessages } from './messages';

test('the backend\'s HITL signals satisfy Aura\'s pact', async () => {
  await verifyMessages('backend', backendSignalProviders());
}, 60_000);

test('Aura\'s notifications satisfy the backend\'s pact', async () => {
  await verifyMessages('aura', auraNotificationProviders());
}, 60_000);

describe('a broken provider fails verification', () => {
  test('signal timestamp in milliseconds', async () => {
    const p = backendSignalProviders();
    const ok = p['a HITL approval signal']!;
    // The interaction being broken exists: a renamed one would fail verification for another reason.
    expect(ok).toBeDefined();
    p['a HITL approval signal'] = async (d) => ({ ...(await ok(d) as object), timestamp: Date.now() });
    await expect(verifyMessages('backend', p)).rejects.toBeTruthy();
  }, 60_000);

  test('approved as a string', async () => {
    const p = auraNotificationProviders();
    const ok = p['a CASE_ACTION APPROVE notification']!;
    // The interaction being broken exists: a renamed one would fail verification for another reason.
    expect(ok).toBeDefined();
    p['a CASE_ACTION APPROVE notification'] = async (d) => ({ ...(await ok(d) as object), approved: 'true' });
    await expect(verifyMessages('aura', p)).rejects.toBeTruthy();
  }, 60_000);

  test('NOTIFICATION category renamed', async () => {
    const p = auraNotificationProviders();
    const ok = p['a RAG_STATUS notification']!;
    // The interaction being broken exists: a renamed one would fail verification for another reason.
    expect(ok).toBeDefined();
    p['a RAG_STATUS notification'] = async (d) => ({ ...(await ok(d) as object), category: 'RAG_DONE' });
    await expect(verifyMessages('aura', p)).rejects.toBeTruthy();
  }, 60_000);
});
