import type Redis from 'ioredis';
import { hitlRequestAddress, readHitlSessionRecord, readHitlSignalRecord } from '../../../generated/redis';
import type * as S from '../../../generated/schemas';
import { hitlRecordWrites, readStoredHitlRequest, type StoredHitlRequest } from '../../shared/hitl/record';
import { decidedRecord, decisionSignal, type Decision } from './messages';

export type StoredRequest = StoredHitlRequest;

export type CommitResult = { committed: true; receivers: number } | { committed: false; current: StoredRequest | null };

/** The HITL keys and channel as the decision needs them (a port; Redis below). */
export interface HitlStore {
  readRequest(requestId: string): Promise<StoredRequest | null>;
  /** Atomically: if the record is still `expected`, store the decided record, the signal, and publish. */
  commitDecision(expected: StoredRequest, decision: Decision): Promise<CommitResult>;
  readSignal(sessionId: string): Promise<S.HitlSignal | null>;
  readSession(sessionId: string): Promise<S.HitlSessionRecord | null>;
}

/**
 * `hitlRequestChannel`: where the HITL_REQUEST message of a decision goes (`WORKBENCH_HITL_REQUEST_CHANNEL`).
 * The decision is the shared compare-and-set of the request record (src/shared/hitl/record.ts): the
 * record is replaced only if it is still byte-for-byte what the caller read (and checked: tenant,
 * pending), together with the signal, its publish and the inbox message, so two concurrent
 * deciders cannot both win, and a command re-sent by the client after a dropped connection finds
 * the record changed instead of deciding twice.
 */
export function createRedisHitlStore(redis: Redis, hitlRequestChannel: string = hitlRequestAddress()): HitlStore {
  const writes = hitlRecordWrites(redis, hitlRequestChannel);
  return {
    readRequest: (requestId) => readStoredHitlRequest(redis, requestId),
    async commitDecision(expected, decision) {
      const { record } = expected;
      const signal = decisionSignal(record.requestId, decision);
      const r = await writes.replace(expected, decidedRecord(record, decision), { signal, at: new Date(decision.at * 1000) });
      return r.replaced ? { committed: true, receivers: r.receivers } : { committed: false, current: r.current };
    },
    readSignal: (sessionId) => readHitlSignalRecord(redis, { sessionId }),
    readSession: (sessionId) => readHitlSessionRecord(redis, { sessionId }),
  };
}
