import type Redis from 'ioredis';
import type { HitlRequestRecord, HitlSessionRecord, HitlSignal } from '../../../generated/schemas';
import {
  HITL_REQUEST_TTL_SECONDS,
  HITL_SESSION_TTL_SECONDS,
  encodeHitlRequestRecord,
  encodeHitlSessionRecord,
  hitlRequestKey,
  hitlSessionKey,
  hitlSignalKey,
  parseHitlRequestRecord,
  parseHitlSessionRecord,
  parseHitlSignalRecord,
} from '../../../generated/redis';

// Replaces the record only if it is still exactly what was read (KEEPTTL): the backend's decision
// script does the same, so a timeout and a decision racing each other cannot both win.
const CAS_LUA = `
if redis.call('GET', KEYS[1]) ~= ARGV[1] then return 0 end
redis.call('SET', KEYS[1], ARGV[2], 'KEEPTTL')
return 1
`;

export type ExpireResult =
  | { expired: true }
  /** A decision won the race (or the record is gone, `record: null`). */
  | { expired: false; record: HitlRequestRecord | null };

type WithCas = Redis & { hitlCas(key: string, expected: string, next: string): Promise<number> };

/** Aura's side of the `hitl:*` keys: it creates request and session, expires the wait, reads everything. */
export class HitlStore {
  constructor(private readonly redis: Redis) {
    if (typeof (redis as WithCas).hitlCas !== 'function') redis.defineCommand('hitlCas', { numberOfKeys: 1, lua: CAS_LUA });
  }

  /**
   * Marks a still-pending request `expired` (the wait timed out). If the backend decided first,
   * the decision stands and is returned instead: the run must then conclude with it.
   */
  async expire(requestId: string, at: number): Promise<ExpireResult> {
    const key = hitlRequestKey({ requestId });
    for (let attempt = 0; attempt < 5; attempt++) {
      const raw = await this.redis.get(key);
      if (raw === null) return { expired: false, record: null };
      const record = parseHitlRequestRecord(raw);
      if (record.status !== 'pending') return record.status === 'expired' ? { expired: true } : { expired: false, record };
      const next = encodeHitlRequestRecord({ ...record, status: 'expired', expiredAt: at });
      if ((await (this.redis as WithCas).hitlCas(key, raw, next)) === 1) return { expired: true };
    }
    throw new Error(`HITL request ${requestId} kept changing while it was being expired`);
  }

  /**
   * Writes a new request and its session, unless the request exists already (a re-driven run
   * writing the request its dead owner wrote): that one stands, decided or not, and is returned.
   */
  async create(request: HitlRequestRecord): Promise<HitlRequestRecord> {
    const session: HitlSessionRecord = {
      sessionId: request.sessionId,
      requestId: request.requestId,
      userId: request.userId,
      tenantId: request.tenantId,
    };
    for (let attempt = 0; attempt < 3; attempt++) {
      const res = await this.redis
        .multi()
        .set(hitlRequestKey({ requestId: request.requestId }), encodeHitlRequestRecord(request), 'EX', HITL_REQUEST_TTL_SECONDS, 'NX')
        .set(hitlSessionKey({ sessionId: request.sessionId }), encodeHitlSessionRecord(session), 'EX', HITL_SESSION_TTL_SECONDS, 'NX')
        .exec();
      for (const [err] of res ?? []) if (err) throw err;
      if (res?.[0]?.[1] === 'OK') return request;
      const existing = await this.request(request.requestId);
      if (existing) return existing;
      // Expired between the two calls: write it again.
    }
    throw new Error(`HITL request ${request.requestId} could not be created`);
  }

  async request(requestId: string): Promise<HitlRequestRecord | null> {
    const raw = await this.redis.get(hitlRequestKey({ requestId }));
    return raw === null ? null : parseHitlRequestRecord(raw);
  }

  async session(sessionId: string): Promise<HitlSessionRecord | null> {
    const raw = await this.redis.get(hitlSessionKey({ sessionId }));
    return raw === null ? null : parseHitlSessionRecord(raw);
  }

  async signal(sessionId: string): Promise<HitlSignal | null> {
    const raw = await this.redis.get(hitlSignalKey({ sessionId }));
    return raw === null ? null : parseHitlSignalRecord(raw);
  }
}
