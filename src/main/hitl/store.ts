import type Redis from 'ioredis';
import {
  encodeHitlChannelMessage,
  encodeHitlRequestMessage,
  encodeHitlRequestRecord,
  HITL_SIGNAL_TTL_SECONDS,
  hitlChannelAddress,
  hitlRequestAddress,
  hitlRequestKey,
  hitlSessionKey,
  hitlSignalKey,
  parseHitlRequestRecord,
  parseHitlSessionRecord,
  parseHitlSignalRecord,
} from '../../../generated/redis';
import { hitlRequestNotification } from '../../shared/hitl/inbox-message';
import { OUTBOX_FIELD, OUTBOX_MAXLEN, outboxKey } from '../../shared/redis/workbench-outbox';
import type * as S from '../../../generated/schemas';
import { decidedRecord, decisionSignal, type Decision } from './messages';

/**
 * Compare-and-set of the request record plus signal and publish, in one script: the record is
 * replaced only if it is still byte-for-byte what the caller read (and checked: tenant, pending),
 * so two concurrent deciders cannot both win, and a command re-sent by the client after a dropped
 * connection finds the record changed instead of deciding twice. The record JSON is built and
 * validated in TypeScript (Lua's cjson would rewrite numbers, empty arrays and escapes).
 * The same script appends the HITL_REQUEST message of the decision to the workbench outbox and
 * publishes it, so the approvals inbox learns of exactly the decision that won, and learns of it
 * even if the backend that decided dies right after (its successor reads the outbox).
 */
const DECIDE_LUA = `
local cur = redis.call('GET', KEYS[1])
if cur ~= ARGV[1] then
  if cur then return {0, cur} end
  return {0}
end
redis.call('SET', KEYS[1], ARGV[2], 'KEEPTTL')
redis.call('SET', KEYS[2], ARGV[3], 'EX', tonumber(ARGV[4]))
local receivers = redis.call('PUBLISH', ARGV[5], ARGV[3])
redis.call('XADD', KEYS[3], 'MAXLEN', '~', ARGV[8], '*', ARGV[9], ARGV[6], ARGV[10], ARGV[7])
redis.call('PUBLISH', ARGV[6], ARGV[7])
return {1, receivers}
`;

export interface StoredRequest {
  raw: string;
  record: S.HitlRequestRecord;
}

export type CommitResult = { committed: true; receivers: number } | { committed: false; current: StoredRequest | null };

/** The HITL keys and channel as the decision needs them (a port; Redis below). */
export interface HitlStore {
  readRequest(requestId: string): Promise<StoredRequest | null>;
  /** Atomically: if the record is still `expected`, store the decided record, the signal, and publish. */
  commitDecision(expected: StoredRequest, decision: Decision): Promise<CommitResult>;
  readSignal(sessionId: string): Promise<S.HitlSignal | null>;
  readSession(sessionId: string): Promise<S.HitlSessionRecord | null>;
}

type WithDecide = Redis & {
  hitlDecide(...args: (string | number)[]): Promise<unknown>;
};

/** `hitlRequestChannel`: where the HITL_REQUEST message of a decision goes (`WORKBENCH_HITL_REQUEST_CHANNEL`). */
export function createRedisHitlStore(redis: Redis, hitlRequestChannel: string = hitlRequestAddress()): HitlStore {
  const r = redis as WithDecide;
  // defineCommand sends EVALSHA and falls back to EVAL when the script cache is empty (restart).
  if (typeof r.hitlDecide !== 'function') redis.defineCommand('hitlDecide', { numberOfKeys: 3, lua: DECIDE_LUA });

  const parseStored = (raw: string): StoredRequest => ({ raw, record: parseHitlRequestRecord(raw) });

  return {
    async readRequest(requestId) {
      const raw = await redis.get(hitlRequestKey({ requestId }));
      return raw === null ? null : parseStored(raw);
    },
    async commitDecision(expected, decision) {
      const { record } = expected;
      const decided = decidedRecord(record, decision);
      const next = encodeHitlRequestRecord(decided);
      const signal = encodeHitlChannelMessage(decisionSignal(record.requestId, decision));
      // Validated and encoded by the generated helper; the script is what sends it.
      const inboxMessage = encodeHitlRequestMessage(hitlRequestNotification(decided, new Date(decision.at * 1000)));
      const reply = (await r.hitlDecide(
        hitlRequestKey({ requestId: record.requestId }),
        hitlSignalKey({ sessionId: record.sessionId }),
        outboxKey(),
        expected.raw,
        next,
        signal,
        HITL_SIGNAL_TTL_SECONDS,
        hitlChannelAddress({ sessionId: record.sessionId }),
        hitlRequestChannel,
        inboxMessage,
        OUTBOX_MAXLEN,
        OUTBOX_FIELD.channel,
        OUTBOX_FIELD.message,
      )) as [number, (string | number)?];
      if (reply[0] === 1) return { committed: true, receivers: Number(reply[1] ?? 0) };
      return { committed: false, current: typeof reply[1] === 'string' ? parseStored(reply[1]) : null };
    },
    async readSignal(sessionId) {
      const raw = await redis.get(hitlSignalKey({ sessionId }));
      return raw === null ? null : parseHitlSignalRecord(raw);
    },
    async readSession(sessionId) {
      const raw = await redis.get(hitlSessionKey({ sessionId }));
      return raw === null ? null : parseHitlSessionRecord(raw);
    },
  };
}
