// Provider: the whole platform behind the real gateway (auth, main, Aura; real Redis and
// PostgreSQL) verifies the workbench SDK's pact. Provider states seed Redis and the database.
import { Verifier } from '@pact-foundation/pact';
import {
  HITL_REQUEST_TTL_SECONDS,
  HITL_SESSION_TTL_SECONDS,
  encodeHitlRequestRecord,
  encodeHitlSessionRecord,
  hitlRequestKey,
  hitlSessionKey,
  hitlSignalKey,
} from '../../../../generated/redis';
import { caseActionNotification } from '../../../../src/aura/notifications/messages';
import { notificationRow } from '../../../../src/main/workbench-store/notification-row';
import { createDbNotificationRepo } from '../../../../src/main/workbench-store/notification-repo';
import { unixSeconds } from '../../../../src/shared/time';
import { startTestPlatform } from '../../../e2e/platform';
import { PACTICIPANTS, pactFile } from '../names';
import { realTokenFilter } from './auth';
import Redis from 'ioredis';

const SECRET = 'gateway-pact-secret-'.padEnd(40, 'x');
let env: Awaited<ReturnType<typeof startTestPlatform>>;
let redis: Redis;
beforeAll(async () => {
  env = await startTestPlatform({ JWT_SECRET: SECRET });
  redis = new Redis(env.platform.redisUrl);
}, 60_000);
afterAll(async () => {
  redis?.disconnect();
  await env?.stop();
});

// The workbench's user, as login issues the token: the demo approver, with its role.
const WORKBENCH_USER = 'acme-approver';

/** What Aura writes when a run stops for approval (optionally already decided, as the backend leaves it); no case, so no CASE_ACTION leaves this test. */
async function putRequest(p: { requestId: string; sessionId: string; tenantId?: string; userId?: string; approvedBy?: string }): Promise<undefined> {
  const { requestId, sessionId, tenantId = 'acme', userId = 'acme-requester' } = p;
  await redis.del(hitlSignalKey({ sessionId }));
  const at = unixSeconds();
  await redis.set(
    hitlRequestKey({ requestId }),
    encodeHitlRequestRecord({
      requestId,
      sessionId,
      userId,
      tenantId,
      actionType: 'PAYMENT_BLOCK',
      context: {},
      createdAt: at,
      ...(p.approvedBy ? { status: 'approved' as const, approvedBy: p.approvedBy, approvedAt: at } : { status: 'pending' as const }),
    }),
    'EX',
    HITL_REQUEST_TTL_SECONDS,
  );
  await redis.set(hitlSessionKey({ sessionId }), encodeHitlSessionRecord({ sessionId, requestId, userId, tenantId }), 'EX', HITL_SESSION_TTL_SECONDS);
  return undefined;
}

test('the gateway (and the services behind it) honours the workbench SDK\'s pact', async () => {
  await new Verifier({
    provider: PACTICIPANTS.gateway,
    providerBaseUrl: env.platform.urls.gateway,
    pactUrls: [pactFile(PACTICIPANTS.workbench, PACTICIPANTS.gateway)],
    requestFilter: realTokenFilter(SECRET, WORKBENCH_USER, 'APPROVER') as never,
    logLevel: 'warn',
    stateHandlers: {
      'the demo approver of tenant acme exists': async () => undefined, // the platform seeds it
      'a pending HITL request of tenant acme': async (params?: unknown) => putRequest(params as { requestId: string; sessionId: string }),
      'a HITL request of tenant acme approved by acme-approver': async (params?: unknown) => {
        const { requestId, sessionId, decidedBy } = params as { requestId: string; sessionId: string; decidedBy: string };
        return putRequest({ requestId, sessionId, approvedBy: decidedBy });
      },
      'a pending HITL request of another tenant': async (params?: unknown) => putRequest(params as { requestId: string; sessionId: string; tenantId: string }),
      // Four-eyes needs the decider to be the starter: the filter signs every token for
      // WORKBENCH_USER, so the state may only name that user (or the 403 would be for another reason, or none).
      "a pending HITL request of tenant acme started by the token's user": async (params?: unknown) => {
        const p = params as { requestId: string; sessionId: string; userId: string };
        if (p.userId !== WORKBENCH_USER) throw new Error(`the request filter signs tokens for ${WORKBENCH_USER}, not ${p.userId}`);
        return putRequest(p);
      },
      'tenant acme has a CASE_ACTION notification': async () => {
        const msg = caseActionNotification({ tenantId: 'acme', caseId: 'CASE-2026-0001', requestId: 'req-pact-listed', executorId: 'acme-approver', actionType: 'APPROVE' });
        await createDbNotificationRepo(env.platform.database.db).insert(notificationRow(msg));
        return undefined;
      },
    },
  }).verifyProvider();
}, 60_000);
