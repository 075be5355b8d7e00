import type Redis from 'ioredis';
import type { HitlRequestRecord, HitlSessionRecord, HitlSignal } from '../../../generated/schemas';
import { readHitlRequestRecord, readHitlSessionRecord, readHitlSignalRecord } from '../../../generated/redis';
import { type HitlRecordWrites, hitlRecordWrites, readStoredHitlRequest } from '../../shared/hitl/record';
import type { ExpireResult, HitlWaits } from '../ports';

/**
 * HitlWaits over the `hitl:*` keys. Creating and expiring are the shared compare-and-set scripts
 * of the request record (src/shared/hitl/record.ts), the same family the backend decides with, so
 * a timeout and a decision racing each other cannot both win, and the approvals inbox hears of
 * exactly the change that won.
 */
export class RedisHitlWaits implements HitlWaits {
  private readonly writes: HitlRecordWrites;

  /** `hitlRequestChannel`: where HITL_REQUEST messages go (`hitlRequestAddress(env)`, the generated default when absent). */
  constructor(
    private readonly redis: Redis,
    hitlRequestChannel?: string,
  ) {
    this.writes = hitlRecordWrites(redis, ...(hitlRequestChannel ? [hitlRequestChannel] : []));
  }

  async expire(requestId: string, at: number): Promise<ExpireResult> {
    let current = await readStoredHitlRequest(this.redis, requestId);
    for (let attempt = 0; attempt < 5; attempt++) {
      if (!current) return { expired: false, record: null };
      const { record } = current;
      if (record.status !== 'pending') return record.status === 'expired' ? { expired: true } : { expired: false, record };
      const r = await this.writes.replace(current, { ...record, status: 'expired', expiredAt: at });
      if (r.replaced) return { expired: true };
      current = r.current;
    }
    throw new Error(`HITL request ${requestId} kept changing while it was being expired`);
  }

  async create(request: HitlRequestRecord): Promise<HitlRequestRecord> {
    const r = await this.writes.create(request);
    return r.created ? request : r.current.record;
  }

  request(requestId: string): Promise<HitlRequestRecord | null> {
    return readHitlRequestRecord(this.redis, { requestId });
  }

  session(sessionId: string): Promise<HitlSessionRecord | null> {
    return readHitlSessionRecord(this.redis, { sessionId });
  }

  signal(sessionId: string): Promise<HitlSignal | null> {
    return readHitlSignalRecord(this.redis, { sessionId });
  }
}
