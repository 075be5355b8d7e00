// Message providers: the running platform (auth, main, Aura behind the gateway; real Redis and
// PostgreSQL). Each provider state makes a service do the real thing — ingest a document, decide
// a HITL request, let a run time out, finish a HIGH analysis — while a subscriber on the channel
// of generated/redis.ts captures what that service publishes; the message provider hands the
// captured message to the verifier. Factories alone would prove the factories, not the services.
import { MessageProviderPact, type MessageProviders, type MessageStateHandlers } from '@pact-foundation/pact';
import Redis from 'ioredis';
import { randomUUID } from 'node:crypto';
import {
  HITL_REQUEST_TTL_SECONDS,
  HITL_SESSION_TTL_SECONDS,
  alertAddress,
  caseActionAddress,
  encodeHitlRequestRecord,
  encodeHitlSessionRecord,
  hitlChannelAddress,
  hitlRequestKey,
  hitlSessionKey,
  ragStatusAddress,
} from '../../../../generated/redis';
import { DwpClient } from '../../../../generated/sdk';
import { sdkValidation } from '../../../../generated/sdk/validation';
import { token } from '../../../support/auth';
import { unixSeconds } from '../../../../src/shared/time';
import { startTestPlatform } from '../../../e2e/platform';
import { runHitlLoop } from '../../../e2e/hitl-loop';
import { PACTICIPANTS, pactFile } from '../names';

const SECRET = 'message-pact-secret-'.padEnd(40, 'x');
const WAIT_MS = 20_000;
// Short enough that the TIMEOUT interaction does not dominate the run, long enough for the
// approve/reject loops (same platform) to decide well before it.
const HITL_TIMEOUT_SECONDS = 4;

export type MessagePlatform = Awaited<ReturnType<typeof startTestPlatform>>;

export function startMessagePlatform(): Promise<MessagePlatform> {
  return startTestPlatform({ JWT_SECRET: SECRET, HITL_TIMEOUT_SECONDS: String(HITL_TIMEOUT_SECONDS) });
}

type Wire = Record<string, unknown>;

/**
 * Subscribes to `channel`, runs `trigger`, and resolves with the first message `isOurs` picks
 * (the Redis is shared with other suites publishing on the same channels). The subscription is
 * confirmed before the trigger runs, so a message published at once is not missed.
 */
async function capture<T>(redisUrl: string, channel: string, trigger: () => Promise<T>, isOurs: (m: Wire, t: T) => boolean): Promise<Wire> {
  const sub = new Redis(redisUrl);
  const seen: Wire[] = [];
  let wake: (() => void) | undefined;
  sub.on('message', (c: string, raw: string) => {
    if (c !== channel) return;
    try {
      seen.push(JSON.parse(raw) as Wire);
    } catch {
      return; // another suite's deliberately malformed message
    }
    wake?.();
  });
  try {
    await sub.subscribe(channel);
    const t = await trigger();
    const deadline = Date.now() + WAIT_MS;
    for (;;) {
      const mine = seen.find((m) => isOurs(m, t));
      if (mine) return mine;
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`nothing of ours was published on ${channel} within ${WAIT_MS} ms`);
      await new Promise<void>((r) => {
        const timer = setTimeout(r, left);
        wake = () => {
          clearTimeout(timer);
          r();
        };
      });
    }
  } finally {
    sub.disconnect();
  }
}

/** What each state captured, read by the message provider of the same interaction. */
class Captured {
  private last: Wire | undefined;
  set(m: Wire): undefined {
    this.last = m;
    return undefined;
  }
  take(): Wire {
    const m = this.last;
    this.last = undefined;
    if (!m) throw new Error('the provider state captured no message');
    return m;
  }
}

const gatewayClient = (env: MessagePlatform, sub: string, role: string) =>
  new DwpClient({ baseUrl: env.platform.urls.gateway, validation: sdkValidation, timeoutMs: WAIT_MS, token: token(sub, 'acme', { secret: SECRET, role }), tenantId: 'acme' });

const DEMO = {
  approver: { username: 'approver', password: 'approver-pass', tenantId: 'acme' },
  requester: { username: 'requester', password: 'requester-pass', tenantId: 'acme' },
};

export interface MessageVerification {
  stateHandlers: MessageStateHandlers;
  messageProviders: MessageProviders;
}

/**
 * main → Aura: a pending request as Aura leaves it (nobody waits on it: no case, no run), decided
 * through the gateway's approve/reject endpoint; the main service's Lua decision publishes the
 * signal on `hitl:channel:{sessionId}`.
 */
export function backendSignalProviders(env: MessagePlatform): MessageVerification {
  const captured = new Captured();
  const redis = () => new Redis(env.platform.redisUrl);
  const decided = async (decide: (c: DwpClient, requestId: string) => Promise<unknown>) => {
    const requestId = `req-pact-${randomUUID()}`;
    const sessionId = `sess-pact-${randomUUID()}`;
    const r = redis();
    try {
      await r.set(
        hitlRequestKey({ requestId }),
        encodeHitlRequestRecord({ requestId, sessionId, userId: 'acme-requester', tenantId: 'acme', actionType: 'PAYMENT_BLOCK', context: {}, status: 'pending', createdAt: unixSeconds() }),
        'EX',
        HITL_REQUEST_TTL_SECONDS,
      );
      await r.set(hitlSessionKey({ sessionId }), encodeHitlSessionRecord({ sessionId, requestId, userId: 'acme-requester', tenantId: 'acme' }), 'EX', HITL_SESSION_TTL_SECONDS);
    } finally {
      r.disconnect();
    }
    const approver = gatewayClient(env, 'acme-approver', 'APPROVER');
    return captured.set(await capture(env.platform.redisUrl, hitlChannelAddress({ sessionId }), () => decide(approver, requestId), (m) => m.requestId === requestId));
  };
  return {
    stateHandlers: {
      'request req-pact-approve was approved': () => decided((c, requestId) => c.approveHitl({ params: { requestId }, body: {} })),
      'request req-pact-reject was rejected': () => decided((c, requestId) => c.rejectHitl({ params: { requestId }, body: { reason: 'Not enough evidence' } })),
    },
    messageProviders: {
      'a HITL approval signal': async () => captured.take(),
      'a HITL rejection signal': async () => captured.take(),
    },
  };
}

/**
 * Aura → main: the HITL loop through the gateway (the requester asks Aura about the seeded case,
 * the approver decides or lets it time out), a document ingested into Aura's RAG index, and an
 * analysis run whose policy threshold makes it end HIGH.
 */
export function auraNotificationProviders(env: MessagePlatform): MessageVerification {
  const captured = new Captured();
  const url = env.platform.redisUrl;
  const loop = (decision: 'approve' | 'reject' | 'timeout') =>
    capture(
      url,
      caseActionAddress(),
      () => runHitlLoop({ gatewayUrl: env.platform.urls.gateway, credentials: DEMO.approver, requester: DEMO.requester, caseId: 'CASE-2026-0001', decision, waitMs: WAIT_MS }),
      (m, r) => m.request_id === r.hitl.requestId,
    );
  return {
    stateHandlers: {
      'a HITL request on case CASE-2026-0001 ended with APPROVE': async () => captured.set(await loop('approve')),
      'a HITL request on case CASE-2026-0001 ended with REJECT': async () => captured.set(await loop('reject')),
      'a HITL request on case CASE-2026-0001 ended with TIMEOUT': async () => captured.set(await loop('timeout')),
      'a regulation document was ingested': async () => {
        const documentId = `rag-pact-${randomUUID()}`;
        const requester = gatewayClient(env, 'acme-requester', 'REQUESTER');
        return captured.set(
          await capture(
            url,
            ragStatusAddress(),
            () => requester.ingestRagDocument({ body: { documentId, title: '지급 규정', content: '중복 송장은 지급 전에 보류한다. 한도를 넘는 지급은 승인이 필요하다.' } }),
            (m) => m.rag_document_id === documentId,
          ),
        );
      },
      'an analysis run ended HIGH': async () => {
        const approver = gatewayClient(env, 'acme-approver', 'APPROVER');
        return captured.set(
          await capture(
            url,
            alertAddress(),
            async () => {
              // The seeded duplicate alone is MEDIUM; a threshold below its amount adds the limit finding, which makes it HIGH.
              const started = await approver.startCaseAnalysis({ params: { caseId: 'CASE-2026-0001' }, body: { mode: 'FULL', options: { amountThreshold: 1 } } });
              for await (const ev of approver.streamAnalysisRun({ params: { runId: started.data.runId } }, { signal: AbortSignal.timeout(WAIT_MS) })) {
                if (ev.event === 'completed' && ev.data.severity !== 'HIGH') throw new Error(`the analysis run ended ${ev.data.severity}, not HIGH`);
              }
              return started.data.runId;
            },
            (m, runId) => m.run_id === runId,
          ),
        );
      },
    },
    messageProviders: {
      'a CASE_ACTION APPROVE notification': async () => captured.take(),
      'a CASE_ACTION REJECT notification': async () => captured.take(),
      'a CASE_ACTION TIMEOUT notification': async () => captured.take(),
      'a RAG_STATUS notification': async () => captured.take(),
      'an AI_DETECT notification': async () => captured.take(),
    },
  };
}

export const MESSAGE_PACTS = {
  backend: { provider: PACTICIPANTS.mainMessages, file: pactFile(PACTICIPANTS.aura, PACTICIPANTS.mainMessages) },
  aura: { provider: PACTICIPANTS.auraMessages, file: pactFile(PACTICIPANTS.main, PACTICIPANTS.auraMessages) },
} as const;

export function verifyMessages(which: keyof typeof MESSAGE_PACTS, v: MessageVerification): Promise<unknown> {
  const p = MESSAGE_PACTS[which];
  // The verifier's request to the message proxy waits for the state's real run (the TIMEOUT one lasts HITL_TIMEOUT_SECONDS).
  return new MessageProviderPact({ provider: p.provider, pactUrls: [p.file], stateHandlers: v.stateHandlers, messageProviders: v.messageProviders, logLevel: 'error', timeout: 60_000 }).verify();
}
