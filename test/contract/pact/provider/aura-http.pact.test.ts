// Provider: the real Aura app over HTTP (real Redis) verifies what the backend expects of it.
import { Verifier } from '@pact-foundation/pact';
import { auraActionRecordedKey } from '../../../../generated/redis';
import { ServiceClient } from '../../../../generated/service-client';
import { SERVICE_ROLE, serviceToken } from '../../../../src/shared/auth/service-token';
import { putDecidedRequest, startAura, type Aura } from '../../../aura/support';
import { JWT_SECRET } from '../../../support/auth';
import { EXAMPLE_USER_TOKEN, PACTICIPANTS, pactFile } from '../names';
import { realTokenFilter } from './auth';

let aura: Aura;
beforeAll(async () => {
  aura = await startAura();
});
afterAll(async () => aura?.close());

test('Aura honours the backend\'s pact', async () => {
  const client = () => new ServiceClient({ baseUrl: aura.url, direct: true, tenantId: 'acme', token: serviceToken(JWT_SECRET, 'main', 'acme') });
  await new Verifier({
    provider: PACTICIPANTS.aura,
    providerBaseUrl: aura.url,
    pactUrls: [pactFile(PACTICIPANTS.main, PACTICIPANTS.aura)],
    // The consumer is the backend: it calls Aura with its service credential — except where the
    // pact shows a user's token being refused.
    requestFilter: realTokenFilter(JWT_SECRET, 'main-service', SERVICE_ROLE, { [EXAMPLE_USER_TOKEN]: { sub: 'acme-approver', role: 'APPROVER' } }) as never,
    logLevel: 'warn',
    stateHandlers: {
      // Aura records only a decision that was made: the request is there, decided as the body says.
      'request req-pact-1 on case CASE-2026-0001 was approved by acme-approver and no action was recorded for it': async (params?: unknown) => {
        const { requestId, caseId, decidedBy } = params as { requestId: string; caseId: string; decidedBy: string };
        await putDecidedRequest(aura.redis, requestId, { status: 'approved', by: decidedBy, caseId });
        await aura.redis.del(auraActionRecordedKey({ requestId }));
        return undefined;
      },
      'analysis run run-pact-3 on case CASE-2026-0001 has finished': async (params?: unknown) => {
        const { runId, caseId } = params as { runId: string; caseId: string };
        const c = client();
        await c.createAnalysisRun({ params: { caseId }, body: { runId, mode: 'FULL', requestedBy: 'acme-approver', evidence: { evidence: [], ragRefs: [], document: { header: {}, items: [], docKey: '1000-5100000187-2026' }, openItems: [], partyIds: [], lineage: {}, policies: [] } } });
        for (let i = 0; i < 200; i++) {
          const s = await c.getAnalysisRun({ params: { runId } });
          if (s.data.status === 'COMPLETED') return undefined;
          await new Promise((r) => setTimeout(r, 25));
        }
        throw new Error(`run ${runId} did not complete`);
      },
    },
  }).verifyProvider();
}, 60_000);
