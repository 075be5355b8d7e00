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

/** Aura's side of the `hitl:*` keys: it creates request and session, and reads everything. */
export class HitlStore {
  constructor(private readonly redis: Redis) {}

  async create(request: HitlRequestRecord): Promise<void> {
    const session: HitlSessionRecord = {
      sessionId: request.sessionId,
      requestId: request.requestId,
      userId: request.userId,
      tenantId: request.tenantId,
    };
    await this.redis
      .multi()
      .set(hitlRequestKey({ requestId: request.requestId }), encodeHitlRequestRecord(request), 'EX', HITL_REQUEST_TTL_SECONDS)
      .set(hitlSessionKey({ sessionId: request.sessionId }), encodeHitlSessionRecord(session), 'EX', HITL_SESSION_TTL_SECONDS)
      .exec();
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
