import Redis from 'ioredis';
import pino from 'pino';
import { createParser } from 'eventsource-parser';
import type { AddressInfo } from 'node:net';
import type { ServiceApp } from '../../src/shared/http/service-app';
import { SSE_DONE } from '../../generated/contract';
import { operations } from '../../generated/server/operations';
import { HITL_SIGNAL_TTL_SECONDS, encodeHitlRequestRecord, encodeHitlSignalRecord, hitlRequestKey, hitlSignalKey, publishHitlChannel } from '../../generated/redis';
import type { HitlRequestRecord } from '../../generated/schemas';
import { signToken } from '../../src/shared/auth/jwt';
import { serviceToken } from '../../src/shared/auth/service-token';
import { decisionSignal } from '../../src/main/hitl/messages';
import { unixSeconds } from '../../src/shared/time';
import { createApp } from '../../src/aura/app';
import { loadAuraConfig, type AuraConfig } from '../../src/aura/config';
import { testRedisUrl } from '../support/redis';

export const SECRET = 'aura-test-secret-0123456789-abcdefghij';

export interface Aura {
  app: ServiceApp;
  url: string;
  config: AuraConfig;
  redis: Redis;
  close(): Promise<void>;
}

export async function startAura(env: Record<string, string> = {}, redisFactory?: (url: string) => Redis): Promise<Aura> {
  const config = loadAuraConfig({ JWT_SECRET: SECRET, REDIS_URL: testRedisUrl(), AURA_TAIL_BLOCK_MS: '200', ...env });
  const redis = redisFactory ? redisFactory(config.redisUrl) : new Redis(config.redisUrl, { connectionName: `${config.instanceId}:main` });
  const app = createApp({ config, logger: pino({ level: process.env.TEST_LOG_LEVEL ?? 'silent' }), redis });
  await app.listen({ port: 0, host: '127.0.0.1' });
  const url = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
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

export function token(tenantId = 'acme', sub = 'requester', ttlSeconds = 600): string {
  return signToken(SECRET, { sub, tenantId, ttlSeconds });
}

export function authHeaders(tenantId = 'acme', sub = 'requester'): Record<string, string> {
  return { 'x-tenant-id': tenantId, authorization: `Bearer ${token(tenantId, sub)}` };
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
  return { 'x-tenant-id': tenantId, authorization: `Bearer ${serviceToken(SECRET, 'main', tenantId)}` };
}

export interface Frame {
  id: string | undefined;
  event: string;
  data: any;
}

type Op = 'StartAgentStream' | 'StartAgentStreamGet' | 'JoinStream' | 'StreamAnalysisRun';

/**
 * An SSE client over a real socket. Every event is validated against the schema the spec gives
 * it; waits are event-driven (a frame arriving), bounded by a generous deadline.
 */
export class LiveSse {
  readonly frames: Frame[] = [];
  readonly comments: string[] = [];
  done = false;
  status = 0;
  headers: Headers | undefined;
  errorBody: any;
  readonly finished: Promise<void>;
  private readonly ac = new AbortController();
  private listeners: (() => void)[] = [];
  private failure: Error | undefined;

  constructor(url: string, init: RequestInit, op: Op) {
    const validators = operations[op].sseEvents as unknown as Record<string, ((x: unknown) => boolean) & { errors?: unknown }>;
    this.finished = (async () => {
      try {
        const res = await fetch(url, { ...init, signal: this.ac.signal });
        this.status = res.status;
        this.headers = res.headers;
        if (!res.headers.get('content-type')?.startsWith('text/event-stream')) {
          this.errorBody = JSON.parse(await res.text());
          return;
        }
        const parser = createParser({
          onComment: (c) => {
            this.comments.push(c);
            this.notify();
          },
          onEvent: (m) => {
            if (m.data === SSE_DONE) {
              this.done = true;
              return this.notify();
            }
            const data = JSON.parse(m.data);
            const v = validators[m.event ?? 'message'];
            if (!v) throw new Error(`event ${m.event} is not an event of ${op}`);
            if (!v(data)) throw new Error(`event ${m.event} does not match its schema: ${JSON.stringify(v.errors)}`);
            this.frames.push({ id: m.id, event: m.event!, data });
            this.notify();
          },
        });
        const reader = res.body!.getReader();
        const dec = new TextDecoder();
        for (;;) {
          const { done, value } = await reader.read();
          if (done) break;
          parser.feed(dec.decode(value, { stream: true }));
        }
      } catch (err) {
        if (!this.ac.signal.aborted) this.failure = err as Error;
      } finally {
        this.notify();
      }
    })();
  }

  private notify(): void {
    for (const l of this.listeners.splice(0)) l();
  }

  /** Resolves when `pred` holds (checked on every frame/comment), rejects at the deadline or if the stream ends first. */
  async until(pred: (s: LiveSse) => boolean, what: string, deadlineMs = 15_000): Promise<void> {
    const deadline = Date.now() + deadlineMs;
    let ended = false;
    void this.finished.then(() => (ended = true));
    for (;;) {
      if (this.failure) throw this.failure;
      if (pred(this)) return;
      if (ended) throw new Error(`stream ended before: ${what} (events: ${this.frames.map((f) => f.event).join(',')})`);
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`timed out waiting for: ${what} (events: ${this.frames.map((f) => f.event).join(',')})`);
      await new Promise<void>((resolve) => {
        const t = setTimeout(resolve, left);
        this.listeners.push(() => {
          clearTimeout(t);
          resolve();
        });
        void this.finished.then(() => {
          clearTimeout(t);
          resolve();
        });
      });
    }
  }

  event(name: string): Frame | undefined {
    return this.frames.find((f) => f.event === name);
  }

  async toEnd(): Promise<void> {
    await this.until((s) => s.done, '[DONE]');
    await this.finished;
    if (this.failure) throw this.failure;
  }

  cut(): void {
    this.ac.abort();
  }
}

export function postStream(aura: Aura, body: unknown, headers: Record<string, string> = {}): LiveSse {
  return new LiveSse(
    `${aura.url}/aura/test/stream`,
    { method: 'POST', headers: { ...authHeaders(), 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) },
    'StartAgentStream',
  );
}

export function joinStream(aura: Aura, streamId: string, lastEventId?: string, headers: Record<string, string> = authHeaders()): LiveSse {
  return new LiveSse(`${aura.url}/aura/streams/${streamId}`, { headers: { ...headers, ...(lastEventId ? { 'last-event-id': lastEventId } : {}) } }, 'JoinStream');
}

export function streamIdOf(f: Frame): string {
  return f.id!.slice(0, f.id!.lastIndexOf(':'));
}

export function seqOf(f: Frame): number {
  return Number(f.id!.slice(f.id!.lastIndexOf(':') + 1));
}

/** Acts as the backend (brief §6 step 3): stores the signal for 5 min, then publishes it. */
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

/** Polls a condition a bounded number of times (for effects that have no event to wait on). */
export async function eventually(check: () => Promise<boolean> | boolean, what: string, attempts = 300, everyMs = 50): Promise<void> {
  for (let i = 0; i < attempts; i++) {
    if (await check()) return;
    await new Promise((r) => setTimeout(r, everyMs));
  }
  throw new Error(`never happened: ${what}`);
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
