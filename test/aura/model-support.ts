import type Redis from 'ioredis';
import { encodeHitlRequestRecord, hitlRequestKey, readHitlRequestRecord } from '../../generated/redis';
import { unixSeconds } from '../../src/shared/time';
import { testRedisUrl } from '../support/redis';
import type { LlmServer } from './llm-server';
import { type Frame } from '../support/sse';
import { type Aura, decide, startAura } from './support';

/**
 * A Redis database of its own for each model suite. Every Aura instance on a database sweeps it
 * for runs to adopt: a model-driven instance must never adopt the other suites' runs (it would
 * conclude them with the scripted model), nor theirs one of ours.
 */
export function isolatedRedisUrl(db: number): string {
  const u = new URL(testRedisUrl());
  u.pathname = `/${db}`;
  return u.toString();
}

export function startModelAura(llm: LlmServer, db: number, env: Record<string, string> = {}): Promise<Aura> {
  return startAura({ REDIS_URL: isolatedRedisUrl(db), AURA_LLM_BASE_URL: llm.url, AURA_LLM_MODEL: 'scripted-model', AURA_LLM_TIMEOUT_MS: '2000', HITL_TIMEOUT_SECONDS: '60', SSE_HEARTBEAT_MS: '150', ...env });
}

let n = 0;
/** A case id no other test (or earlier run) uses: requests to the shared fake model are told apart by it. */
export function freshCase(): string {
  n++;
  return `CASE-${Date.now() % 1e9}-${process.pid % 1000}${n}`;
}

/** Decides as the backend does: the request record names the decider, then the signal is stored and published. */
export async function decideAs(redis: Redis, hitl: { requestId: string; sessionId: string }, approve: boolean, reason = 'Invoice is genuine'): Promise<void> {
  const key = hitlRequestKey({ requestId: hitl.requestId });
  const req = (await readHitlRequestRecord(redis, { requestId: hitl.requestId }))!;
  const decided = approve ? { ...req, status: 'approved' as const, approvedBy: 'approver', approvedAt: unixSeconds() } : { ...req, status: 'rejected' as const, rejectedBy: 'approver', rejectedAt: unixSeconds(), reason };
  await redis.set(key, encodeHitlRequestRecord(decided), 'EX', 600);
  await decide(redis, hitl.sessionId, hitl.requestId, approve, reason);
}

export const names = (frames: Frame[]) => frames.map((f) => f.event);

/** Everything the request told the model, as one string (for "was it told X" assertions). */
export const told = (body: any): string => (body.messages as { content: string | null }[]).map((m) => m.content ?? '').join('\n');
