import Redis from 'ioredis';
import pino from 'pino';
import type { ServiceApp } from '../../src/shared/http/service-app';
import { HITL_SIGNAL_TTL_SECONDS, encodeHitlRequestRecord, encodeHitlSignalRecord, hitlRequestKey, hitlSignalKey, publishHitlChannel } from '../../generated/redis';
import type { HitlRequestRecord } from '../../generated/schemas';
import { serviceToken } from '../../src/shared/auth/service-token';
import { decisionSignal } from '../../src/main/hitl/messages';
import { unixSeconds } from '../../src/shared/time';
import { createApp } from '../../src/aura/app';
import { loadAuraConfig, type AuraConfig } from '../../src/aura/config';
import { authHeaders, JWT_SECRET } from '../support/auth';
import { listen } from '../support/listen';
import { testRedisUrl } from '../support/redis';
import { type Frame, openSse, type SseStream } from '../support/sse';

export interface Aura {
  app: ServiceApp;
  url: string;
  config: AuraConfig;
  redis: Redis;
  close(): Promise<void>;
}

export async function startAura(env: Record<string, string> = {}, redisFactory?: (url: string) => Redis): Promise<Aura> {
  const config = loadAuraConfig({ JWT_SECRET, REDIS_URL: testRedisUrl(), AURA_TAIL_BLOCK_MS: '200', ...env });
  const redis = redisFactory ? redisFactory(config.redisUrl) : new Redis(config.redisUrl, { connectionName: `${config.instanceId}:main` });
  const app = createApp({ config, logger: pino({ level: process.env.TEST_LOG_LEVEL ?? 'silent' }), redis });
  const url = await listen(app);
  return {
    app,
    url,
    config,
    redis,
    close: async () => {
      await app.close();
      redis.disconnect();
    },
  };
}

/**
 * A HITL request as the backend leaves it after a decision (or still pending): what Aura's
 * RecordAction checks a record against.
 */
export async function putDecidedRequest(
  redis: Redis,
  requestId: string,
  d: { status: 'approved' | 'rejected' | 'pending'; by?: string; caseId?: string; tenantId?: string },
): Promise<void> {
  const at = unixSeconds();
  const record: HitlRequestRecord = {
    requestId,
    sessionId: `sess-${requestId}`,
    userId: 'requester',
    tenantId: d.tenantId ?? 'acme',
    actionType: 'PAYMENT_BLOCK',
    context: { caseId: d.caseId ?? 'DEMO00005' },
    status: d.status,
    createdAt: at,
    ...(d.status === 'approved' ? { approvedBy: d.by ?? 'approver', approvedAt: at } : {}),
    ...(d.status === 'rejected' ? { rejectedBy: d.by ?? 'approver', rejectedAt: at, reason: 'Not ours' } : {}),
  };
  await redis.set(hitlRequestKey({ requestId }), encodeHitlRequestRecord(record), 'EX', 120);
}

/** What the backend sends on Aura's internal operations: its service credential, not a user's. */
export function serviceHeaders(tenantId = 'acme'): Record<string, string> {
  return { 'x-tenant-id': tenantId, authorization: `Bearer ${serviceToken(JWT_SECRET, 'main', tenantId)}` };
}

export function postStream(aura: Aura, body: unknown, headers: Record<string, string> = {}): SseStream {
  return openSse(
    `${aura.url}/aura/test/stream`,
    { method: 'POST', headers: { ...authHeaders('requester', 'acme'), 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) },
    'StartAgentStream',
  );
}

export function joinStream(aura: Aura, streamId: string, lastEventId?: string, headers: Record<string, string> = authHeaders('requester', 'acme')): SseStream {
  return openSse(`${aura.url}/aura/streams/${streamId}`, { headers }, 'JoinStream', { lastEventId: lastEventId || undefined });
}

export function streamIdOf(f: Frame): string {
  return f.id!.slice(0, f.id!.lastIndexOf(':'));
}

export function seqOf(f: Frame): number {
  return Number(f.id!.slice(f.id!.lastIndexOf(':') + 1));
}

/** Acts as the backend (asyncapi.yaml: hitl:signal, then hitl:channel): stores the signal for 5 min, then publishes it. */
export async function decide(redis: Redis, sessionId: string, requestId: string, approve: boolean, reason = 'Not a duplicate'): Promise<number> {
  // The backend's own factory, so these fixtures cannot drift from what it publishes.
  const signal = decisionSignal(requestId, approve ? { status: 'approved', deciderId: 'approver', at: unixSeconds() } : { status: 'rejected', deciderId: 'approver', at: unixSeconds(), reason });
  await redis.set(hitlSignalKey({ sessionId }), encodeHitlSignalRecord(signal), 'EX', HITL_SIGNAL_TTL_SECONDS);
  return publishHitlChannel(redis, { sessionId }, signal);
}

/**
 * Collects messages of one channel on a real subscriber connection. `flush()` publishes on a
 * private probe channel of the same connection: Redis delivers in publish order, so once the
 * probe arrives every earlier message has too (a way to assert "nothing more came").
 */
export async function collect(channel: string): Promise<{ messages: string[]; flush: () => Promise<void>; close: () => void }> {
  const sub = new Redis(testRedisUrl());
  const pub = new Redis(testRedisUrl());
  const probe = `test:probe:${Math.random().toString(36).slice(2)}`;
  const messages: string[] = [];
  let onProbe: (() => void) | undefined;
  sub.on('message', (c: string, m: string) => {
    if (c === probe) onProbe?.();
    else messages.push(m);
  });
  await sub.subscribe(channel, probe);
  return {
    messages,
    flush: async () => {
      const arrived = new Promise<void>((r) => (onProbe = r));
      await pub.publish(probe, 'probe');
      await arrived;
    },
    close: () => {
      sub.disconnect();
      pub.disconnect();
    },
  };
}

/**
 * This test's messages only, each validated against the contract. Other suites publish on the
 * same channels of the shared Redis (some deliberately off-contract): pick ours by a field
 * first, then parse strictly.
 */
export function ours<T>(messages: string[], isOurs: (raw: Record<string, unknown>) => boolean, parse: (m: string) => T): T[] {
  return messages
    .filter((m) => {
      try {
        const o: unknown = JSON.parse(m);
        return !!o && typeof o === 'object' && isOurs(o as Record<string, unknown>);
      } catch {
        return false;
      }
    })
    .map(parse);
}
