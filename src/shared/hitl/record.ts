// The HITL request record (`hitlRequestKey` in generated/redis.ts) as both services write it: Aura creates it
// and expires it, the backend decides it. Every write is one script of the family below, each a
// compare-and-set (against the bytes the writer read, or against absence) that also appends the
// record's HITL_REQUEST message to the workbench outbox and publishes it, so the approvals inbox
// learns of exactly the change that won, and learns of it even if the writer dies right after.
// Record JSON is built and validated in TypeScript (Lua's cjson would rewrite numbers, empty
// arrays and escapes).
import type Redis from 'ioredis';
import {
  encodeHitlChannelMessage,
  encodeHitlRequestMessage,
  encodeHitlRequestRecord,
  encodeHitlSessionRecord,
  HITL_REQUEST_TTL_SECONDS,
  HITL_SESSION_TTL_SECONDS,
  HITL_SIGNAL_TTL_SECONDS,
  type HitlChannelMessage,
  hitlChannelAddress,
  hitlRequestAddress,
  hitlRequestKey,
  hitlSessionKey,
  hitlSignalKey,
  parseHitlRequestRecord,
  type RedisReader,
} from '../../../generated/redis';
import type * as S from '../../../generated/schemas';
import { OUTBOX_FIELD, OUTBOX_MAXLEN, outboxKey } from '../redis/workbench-outbox';
import { hitlRequestNotification } from './inbox-message';

/** A request record with the exact bytes it was read as (what a compare-and-set compares). */
export interface StoredHitlRequest {
  raw: string;
  record: S.HitlRequestRecord;
}

export function storedHitlRequest(raw: string): StoredHitlRequest {
  return { raw, record: parseHitlRequestRecord(raw) };
}

/**
 * Reads a request record for a compare-and-set: null when absent, else the validated record with
 * its bytes. (A plain read is the generated `readHitlRequestRecord`.)
 */
export async function readStoredHitlRequest(reader: RedisReader, requestId: string): Promise<StoredHitlRequest | null> {
  const raw = await reader.get(hitlRequestKey({ requestId }));
  return raw === null ? null : storedHitlRequest(raw);
}

// Every script: KEYS request, session-or-signal, outbox; ARGV[1..5] the HITL_REQUEST message
// (channel, message) and the outbox's maxlen and field names; the script's own arguments follow.
const ANNOUNCE = `redis.call('XADD', KEYS[3], 'MAXLEN', '~', ARGV[3], '*', ARGV[4], ARGV[1], ARGV[5], ARGV[2])
redis.call('PUBLISH', ARGV[1], ARGV[2])`;

// Replace the record only if it is still byte-for-byte what was read (KEEPTTL), so two writers
// cannot both win (a decision and a timeout, two deciders, a command re-sent after a dropped
// connection); with a signal (ARGV[8], '' for none), store it (EX ARGV[9]) and publish it on
// ARGV[10] first. ARGV[6..7]: expected, next. Reply {1, signal receivers}, or {0[, current]}.
const REPLACE_LUA = `
local cur = redis.call('GET', KEYS[1])
if cur ~= ARGV[6] then
  if cur then return {0, cur} end
  return {0}
end
redis.call('SET', KEYS[1], ARGV[7], 'KEEPTTL')
local receivers = 0
if ARGV[8] ~= '' then
  redis.call('SET', KEYS[2], ARGV[8], 'EX', tonumber(ARGV[9]))
  receivers = redis.call('PUBLISH', ARGV[10], ARGV[8])
end
${ANNOUNCE}
return {1, receivers}
`;

// Request and session are written NX; only a new request is announced, so a re-driven run writing
// it again announces nothing. ARGV[6..9]: request, its TTL, session, its TTL. Reply {1}, or
// {0, current} (the request that exists already).
const CREATE_LUA = `
redis.call('SET', KEYS[2], ARGV[8], 'EX', tonumber(ARGV[9]), 'NX')
if not redis.call('SET', KEYS[1], ARGV[6], 'EX', tonumber(ARGV[7]), 'NX') then return {0, redis.call('GET', KEYS[1])} end
${ANNOUNCE}
return {1}
`;

export type ReplaceResult = { replaced: true; receivers: number } | { replaced: false; current: StoredHitlRequest | null };
export type CreateResult = { created: true } | { created: false; current: StoredHitlRequest };

export interface HitlRecordWrites {
  /**
   * Replaces `expected` by `next` if the record is still `expected`. `signal`: the decision signal
   * to store and publish with it; `at`: the time its HITL_REQUEST message carries (default now).
   */
  replace(expected: StoredHitlRequest, next: S.HitlRequestRecord, options?: { signal?: HitlChannelMessage; at?: Date }): Promise<ReplaceResult>;
  /** Writes a new request and its session unless the request exists (then that one is returned). */
  create(request: S.HitlRequestRecord): Promise<CreateResult>;
}

type Scripted = Redis & {
  hitlRecordReplace(...args: (string | number)[]): Promise<[number, (string | number)?]>;
  hitlRecordCreate(...args: (string | number)[]): Promise<[number, string?]>;
};

/** `hitlRequestChannel`: where HITL_REQUEST messages go (`WORKBENCH_HITL_REQUEST_CHANNEL`). */
export function hitlRecordWrites(redis: Redis, hitlRequestChannel: string = hitlRequestAddress()): HitlRecordWrites {
  const r = redis as Scripted;
  // defineCommand sends EVALSHA and falls back to EVAL when the script cache is empty (restart).
  if (typeof r.hitlRecordReplace !== 'function') redis.defineCommand('hitlRecordReplace', { numberOfKeys: 3, lua: REPLACE_LUA });
  if (typeof r.hitlRecordCreate !== 'function') redis.defineCommand('hitlRecordCreate', { numberOfKeys: 3, lua: CREATE_LUA });
  // The HITL_REQUEST message of the record as it is after the change, validated by the generated encoder.
  const announce = (record: S.HitlRequestRecord, at?: Date) => [
    hitlRequestChannel,
    encodeHitlRequestMessage(hitlRequestNotification(record, at)),
    OUTBOX_MAXLEN,
    OUTBOX_FIELD.channel,
    OUTBOX_FIELD.message,
  ];
  return {
    async replace(expected, next, options = {}) {
      const { requestId, sessionId } = expected.record;
      const signal = options.signal ? encodeHitlChannelMessage(options.signal) : '';
      const [won, extra] = await r.hitlRecordReplace(
        hitlRequestKey({ requestId }),
        hitlSignalKey({ sessionId }),
        outboxKey(),
        ...announce(next, options.at),
        expected.raw,
        encodeHitlRequestRecord(next),
        signal,
        HITL_SIGNAL_TTL_SECONDS,
        hitlChannelAddress({ sessionId }),
      );
      if (won === 1) return { replaced: true, receivers: Number(extra ?? 0) };
      return { replaced: false, current: typeof extra === 'string' ? storedHitlRequest(extra) : null };
    },
    async create(request) {
      const session: S.HitlSessionRecord = { sessionId: request.sessionId, requestId: request.requestId, userId: request.userId, tenantId: request.tenantId };
      const [won, current] = await r.hitlRecordCreate(
        hitlRequestKey({ requestId: request.requestId }),
        hitlSessionKey({ sessionId: request.sessionId }),
        outboxKey(),
        ...announce(request),
        encodeHitlRequestRecord(request),
        HITL_REQUEST_TTL_SECONDS,
        encodeHitlSessionRecord(session),
        HITL_SESSION_TTL_SECONDS,
      );
      return won === 1 ? { created: true } : { created: false, current: storedHitlRequest(current!) };
    },
  };
}
