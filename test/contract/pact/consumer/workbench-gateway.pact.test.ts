// Consumer: the workbench's generated SDK (DwpClient) calling the gateway: login, approve,
// reject, read a HITL request, list notifications.
import { MatchersV3 as M, PactV4, SpecificationVersion } from '@pact-foundation/pact';
import { HEADERS } from '../../../../generated/contract';
import { DwpApiError, DwpClient } from '../../../../generated/sdk';
import { sdkValidation } from '../../../../generated/sdk/validation';
import { BEARER, EXAMPLE_TOKEN, PACT_DIR, PACTICIPANTS, TENANT } from '../names';

const pact = new PactV4({ consumer: PACTICIPANTS.workbench, provider: PACTICIPANTS.gateway, dir: PACT_DIR, spec: SpecificationVersion.SPECIFICATION_VERSION_V4, logLevel: 'warn' });
const ID = /^[A-Za-z0-9._:-]{1,128}$/;
const ISO = '^\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}(\\.\\d+)?(Z|[+-]\\d{2}:\\d{2})$';
const UNIX = { 'pact:matcher:type': 'regex', regex: '^[0-9]{1,10}$', value: 1770000000 };
const authHeaders = { [HEADERS.AUTHORIZATION]: M.regex(BEARER, `Bearer ${EXAMPLE_TOKEN}`), [HEADERS.TENANT_ID]: TENANT };
const errorEnvelope = (errorCode: string, data: unknown) => ({ status: 'ERROR', success: false, message: M.string('HITL request not found'), timestamp: M.regex(ISO, '2026-02-11T12:00:00.000Z'), errorCode, data });
const envelope = (data: unknown) => ({ status: 'SUCCESS', success: true, message: M.string('OK'), timestamp: M.regex(ISO, '2026-02-11T12:00:00.000Z'), data });

/** The SDK's rejection, checked to be a DwpApiError: what the workbench branches on (409 → who decided first, 403 → four-eyes). */
async function apiError(call: Promise<unknown>): Promise<DwpApiError> {
  const err = await call.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(DwpApiError);
  return err as DwpApiError;
}

// Each test's mock server listens on a fresh port 0, which the OS may hand out again right
// after the previous test's server closed it; fetch's keep-alive pool then still holds that
// server's dead socket for the "same" origin, and a POST on it fails without reaching the new
// server (fetch retries only idempotent requests). A call that failed to connect so is sent once
// more; one that reached the mock is never repeated (the mock would see it twice and fail).
const fetchPastStaleSockets: typeof fetch = async (input, init) => {
  try {
    return await fetch(input, init);
  } catch (err) {
    const code = ((err as Error).cause as { code?: string } | undefined)?.code ?? '';
    if (!['UND_ERR_SOCKET', 'ECONNRESET', 'EPIPE'].includes(code)) throw err;
    return fetch(input, init);
  }
};

const sdk = (url: string, token?: string) =>
  new DwpClient({ baseUrl: url, validation: sdkValidation, fetch: fetchPastStaleSockets, ...(token ? { token, tenantId: TENANT } : {}) });

test('login', async () => {
  await pact
    .addInteraction()
    .given('the demo approver of tenant acme exists')
    .uponReceiving('a login with valid credentials')
    .withRequest('POST', '/api/auth/login', (b) => b.jsonBody({ username: 'approver', password: 'approver-pass', tenantId: TENANT }))
    .willRespondWith(200, (b) =>
      b.jsonBody(envelope({ accessToken: M.regex(/^[A-Za-z0-9._-]+$/, EXAMPLE_TOKEN), tokenType: 'Bearer', expiresIn: M.integer(3600), userId: 'acme-approver', tenantId: TENANT })),
    )
    .executeTest(async (mock) => {
      const res = await sdk(mock.url).login({ body: { username: 'approver', password: 'approver-pass', tenantId: TENANT } });
      expect(res.data.tokenType).toBe('Bearer');
    });
});

test('approve', async () => {
  await pact
    .addInteraction()
    .given('a pending HITL request of tenant acme', { requestId: 'req-pact-approve', sessionId: 'sess-pact-approve' })
    .uponReceiving('an approval')
    .withRequest('POST', '/api/aura/hitl/approve/req-pact-approve', (b) => b.headers(authHeaders).jsonBody({}))
    .willRespondWith(200, (b) => b.jsonBody(envelope({ requestId: 'req-pact-approve', sessionId: M.regex(ID, 'sess-pact-approve'), status: 'approved' })))
    .executeTest(async (mock) => {
      const res = await sdk(mock.url, EXAMPLE_TOKEN).approveHitl({ params: { requestId: 'req-pact-approve' }, body: {} });
      expect(res.data.status).toBe('approved');
    });
});

test('reject', async () => {
  await pact
    .addInteraction()
    .given('a pending HITL request of tenant acme', { requestId: 'req-pact-reject', sessionId: 'sess-pact-reject' })
    .uponReceiving('a rejection with a reason')
    .withRequest('POST', '/api/aura/hitl/reject/req-pact-reject', (b) => b.headers(authHeaders).jsonBody({ reason: 'Not enough evidence' }))
    .willRespondWith(200, (b) => b.jsonBody(envelope({ requestId: 'req-pact-reject', sessionId: M.regex(ID, 'sess-pact-reject'), status: 'rejected', reason: 'Not enough evidence' })))
    .executeTest(async (mock) => {
      const res = await sdk(mock.url, EXAMPLE_TOKEN).rejectHitl({ params: { requestId: 'req-pact-reject' }, body: { reason: 'Not enough evidence' } });
      expect(res.data).toMatchObject({ status: 'rejected', reason: 'Not enough evidence' });
    });
});

test('read a HITL request: data is the record itself, times in unix seconds', async () => {
  await pact
    .addInteraction()
    .given('a pending HITL request of tenant acme', { requestId: 'req-pact-read', sessionId: 'sess-pact-read' })
    .uponReceiving('a read of a HITL request')
    .withRequest('GET', '/api/aura/hitl/requests/req-pact-read', (b) => b.headers(authHeaders))
    .willRespondWith(200, (b) =>
      b.jsonBody(
        envelope({
          requestId: 'req-pact-read',
          sessionId: M.regex(ID, 'sess-pact-read'),
          userId: M.regex(ID, 'acme-requester'),
          tenantId: TENANT,
          actionType: M.string('PAYMENT_BLOCK'),
          context: M.like({}),
          status: 'pending',
          createdAt: UNIX,
        }),
      ),
    )
    .executeTest(async (mock) => {
      const res = await sdk(mock.url, EXAMPLE_TOKEN).getHitlRequest({ params: { requestId: 'req-pact-read' } });
      expect(res.data).toMatchObject({ requestId: 'req-pact-read', status: 'pending' });
    });
});

test('list notifications', async () => {
  await pact
    .addInteraction()
    .given('tenant acme has a CASE_ACTION notification')
    .uponReceiving('a list of notifications')
    .withRequest('GET', '/api/main/notifications', (b) => b.headers(authHeaders).query({ limit: '20' }))
    .willRespondWith(200, (b) =>
      b.jsonBody(
        envelope({
          items: M.eachLike({
            id: M.regex(/^[0-9]+$/, '1'),
            tenantId: TENANT,
            type: 'CASE_ACTION',
            title: M.string('Case action APPROVED: CASE-2026-0001'),
            content: M.string('조치 승인됨'),
            caseId: M.regex(ID, 'CASE-2026-0001'),
            occurredAt: M.regex(ISO, '2026-02-11T12:00:00.000Z'),
            payload: M.like({ category: 'CASE_ACTION' }),
          }),
        }),
      ),
    )
    .executeTest(async (mock) => {
      const res = await sdk(mock.url, EXAMPLE_TOKEN).listNotifications({ query: { limit: 20 } });
      expect(res.data.items[0]?.type).toBe('CASE_ACTION');
    });
});

test('a decision on a request already decided: 409 E3006 with the stored decision', async () => {
  await pact
    .addInteraction()
    .given('a HITL request of tenant acme approved by acme-approver', { requestId: 'req-pact-decided', sessionId: 'sess-pact-decided', decidedBy: 'acme-approver' })
    .uponReceiving('a rejection of a request already approved')
    .withRequest('POST', '/api/aura/hitl/reject/req-pact-decided', (b) => b.headers(authHeaders).jsonBody({ reason: 'Not enough evidence' }))
    .willRespondWith(409, (b) =>
      b.jsonBody(
        errorEnvelope(
          'E3006',
          // Exact status and decider: the workbench shows who decided first and what.
          { requestId: 'req-pact-decided', sessionId: M.regex(ID, 'sess-pact-decided'), tenantId: TENANT, status: 'approved', approvedBy: M.regex(ID, 'acme-approver'), approvedAt: UNIX },
        ),
      ),
    )
    .executeTest(async (mock) => {
      const err = await apiError(sdk(mock.url, EXAMPLE_TOKEN).rejectHitl({ params: { requestId: 'req-pact-decided' }, body: { reason: 'Not enough evidence' } }));
      expect(err).toMatchObject({ status: 409, errorCode: 'E3006', data: { requestId: 'req-pact-decided', status: 'approved', approvedBy: 'acme-approver' } });
    });
});

test('a decision on another tenant\'s request: 404 E1004, as if it did not exist', async () => {
  await pact
    .addInteraction()
    .given('a pending HITL request of another tenant', { requestId: 'req-pact-globex', sessionId: 'sess-pact-globex', tenantId: 'globex' })
    .uponReceiving('an approval of another tenant\'s request')
    .withRequest('POST', '/api/aura/hitl/approve/req-pact-globex', (b) => b.headers(authHeaders).jsonBody({}))
    .willRespondWith(404, (b) => b.jsonBody(errorEnvelope('E1004', null)))
    .executeTest(async (mock) => {
      const err = await apiError(sdk(mock.url, EXAMPLE_TOKEN).approveHitl({ params: { requestId: 'req-pact-globex' }, body: {} }));
      expect(err).toMatchObject({ status: 404, errorCode: 'E1004', data: null });
    });
});

test('a decision by the user who started the run: 403 E1003, rule FOUR_EYES', async () => {
  await pact
    .addInteraction()
    // The token's user (the example token's sub) started the run.
    .given('a pending HITL request of tenant acme started by the token\'s user', { requestId: 'req-pact-own', sessionId: 'sess-pact-own', userId: 'acme-approver' })
    .uponReceiving('an approval by the run\'s own starter')
    .withRequest('POST', '/api/aura/hitl/approve/req-pact-own', (b) => b.headers(authHeaders).jsonBody({}))
    .willRespondWith(403, (b) => b.jsonBody(errorEnvelope('E1003', { rule: 'FOUR_EYES', requestId: 'req-pact-own', requestedBy: M.regex(ID, 'acme-approver') })))
    .executeTest(async (mock) => {
      const err = await apiError(sdk(mock.url, EXAMPLE_TOKEN).approveHitl({ params: { requestId: 'req-pact-own' }, body: {} }));
      expect(err).toMatchObject({ status: 403, errorCode: 'E1003', data: { rule: 'FOUR_EYES', requestedBy: 'acme-approver' } });
    });
});
