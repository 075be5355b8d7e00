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
import { notificationRow } from '../../../../src/main/notifications/mapping';
import { createDbNotificationRepo } from '../../../../src/main/notifications/repo';
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

test('the gateway (and the services behind it) honours the workbench SDK\'s pact', async () => {
  await new Verifier({
    provider: PACTICIPANTS.gateway,
    providerBaseUrl: env.platform.urls.gateway,
    pactUrls: [pactFile(PACTICIPANTS.workbench, PACTICIPANTS.gateway)],
    // The workbench's user, as login issues the token: the demo approver, with its role.
    requestFilter: realTokenFilter(SECRET, 'acme-approver', 'APPROVER') as never,
    logLevel: 'warn',
    stateHandlers: {
      'the demo approver of tenant acme exists': async () => undefined, // the platform seeds it
      'a pending HITL request of tenant acme': async (params?: unknown) => {
        const { requestId, sessionId } = params as { requestId: string; sessionId: string };
        // What Aura writes when a run stops for approval; no case, so no CASE_ACTION leaves this test.
        await redis.del(hitlSignalKey({ sessionId }));
        await redis.set(
          hitlRequestKey({ requestId }),
          encodeHitlRequestRecord({ requestId, sessionId, userId: 'acme-requester', tenantId: 'acme', actionType: 'PAYMENT_BLOCK', context: {}, status: 'pending', createdAt: unixSeconds() }),
          'EX',
          HITL_REQUEST_TTL_SECONDS,
        );
        await redis.set(hitlSessionKey({ sessionId }), encodeHitlSessionRecord({ sessionId, requestId, userId: 'acme-requester', tenantId: 'acme' }), 'EX', HITL_SESSION_TTL_SECONDS);
        return undefined;
      },
      'tenant acme has a CASE_ACTION notification': async () => {
        const msg = caseActionNotification({ tenantId: 'acme', caseId: 'CASE-2026-0001', requestId: 'req-pact-listed', executorId: 'acme-approver', actionType: 'APPROVE' });
        await createDbNotificationRepo(env.platform.database.db).insert(notificationRow(msg));
        return undefined;
      },
    },
  }).verifyProvider();
}, 60_000);
