import type Redis from 'ioredis';
import type { HitlRequestRecord, HitlSessionRecord, HitlSignal } from '../../../generated/schemas';
import {
  type RedisPublisher,
  publishHitlRequest,
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
import { hitlRequestNotification } from '../../shared/hitl/inbox-message';
import { OUTBOX_FIELD, OUTBOX_MAXLEN, outboxKey } from '../../shared/redis/workbench-outbox';

// Replaces the record only if it is still exactly what was read (KEEPTTL): the backend's decision
// script does the same, so a timeout and a decision racing each other cannot both win. The
// HITL_REQUEST `expired` message goes out in the same script (outbox entry + PUBLISH), so the
// approvals inbox hears of exactly the expiry that won.
const EXPIRE_LUA = `
if redis.call('GET', KEYS[1]) ~= ARGV[1] then return 0 end
redis.call('SET', KEYS[1], ARGV[2], 'KEEPTTL')
redis.call('XADD', KEYS[2], 'MAXLEN', '~', ARGV[5], '*', ARGV[6], ARGV[3], ARGV[7], ARGV[4])
redis.call('PUBLISH', ARGV[3], ARGV[4])
return 1
`;

// Request and session are written NX; only when the request is new is its HITL_REQUEST
// `pending` message appended to the outbox and published, in the same script: a request exists
// exactly when the inbox is told of it, and a re-driven run writing it again announces nothing.
const CREATE_LUA = `
redis.call('SET', KEYS[2], ARGV[3], 'EX', tonumber(ARGV[4]), 'NX')
if not redis.call('SET', KEYS[1], ARGV[1], 'EX', tonumber(ARGV[2]), 'NX') then return -1 end
redis.call('XADD', KEYS[3], 'MAXLEN', '~', ARGV[7], '*', ARGV[8], ARGV[5], ARGV[9], ARGV[6])
return redis.call('PUBLISH', ARGV[5], ARGV[6])
`;

export type ExpireResult =
  | { expired: true }
  /** A decision won the race (or the record is gone, `record: null`). */
  | { expired: false; record: HitlRequestRecord | null };

type WithScripts = Redis & {
  hitlExpire(key: string, outbox: string, expected: string, next: string, channel: string, message: string, maxlen: number, fc: string, fm: string): Promise<number>;
  hitlCreate(...args: (string | number)[]): Promise<number>;
};

/** Aura's side of the `hitl:*` keys: it creates request and session, expires the wait, reads everything. */
export class HitlStore {
  /** `hitlRequestChannel`: where HITL_REQUEST messages go (`hitlRequestAddress(env)`, the generated default when absent). */
  constructor(
    private readonly redis: Redis,
    private readonly hitlRequestChannel?: string,
  ) {
    const r = redis as WithScripts;
    if (typeof r.hitlExpire !== 'function') redis.defineCommand('hitlExpire', { numberOfKeys: 2, lua: EXPIRE_LUA });
    if (typeof r.hitlCreate !== 'function') redis.defineCommand('hitlCreate', { numberOfKeys: 3, lua: CREATE_LUA });
  }

  /** Publishes one HITL_REQUEST through the generated helper (validated), by running `script` with channel and message. */
  private publishVia(message: ReturnType<typeof hitlRequestNotification>, script: (channel: string, encoded: string) => Promise<number>): Promise<number> {
    const via: RedisPublisher = { publish: script };
    return publishHitlRequest(via, message, ...(this.hitlRequestChannel ? [this.hitlRequestChannel] : []));
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
      const expired: HitlRequestRecord = { ...record, status: 'expired', expiredAt: at };
      const next = encodeHitlRequestRecord(expired);
      let won = false;
      await this.publishVia(hitlRequestNotification(expired), async (channel, message) => {
        won = (await (this.redis as WithScripts).hitlExpire(key, outboxKey(), raw, next, channel, message, OUTBOX_MAXLEN, OUTBOX_FIELD.channel, OUTBOX_FIELD.message)) === 1;
        return won ? 1 : 0;
      });
      if (won) return { expired: true };
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
      let created = false;
      await this.publishVia(hitlRequestNotification(request), async (channel, message) => {
        const r = Number(
          await (this.redis as WithScripts).hitlCreate(
            hitlRequestKey({ requestId: request.requestId }),
            hitlSessionKey({ sessionId: request.sessionId }),
            outboxKey(),
            encodeHitlRequestRecord(request),
            HITL_REQUEST_TTL_SECONDS,
            encodeHitlSessionRecord(session),
            HITL_SESSION_TTL_SECONDS,
            channel,
            message,
            OUTBOX_MAXLEN,
            OUTBOX_FIELD.channel,
            OUTBOX_FIELD.message,
          ),
        );
        created = r >= 0;
        return Math.max(r, 0);
      });
      if (created) return request;
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
