// What Aura needs from infrastructure, one interface per concern. Each has one Redis adapter in
// src/aura/redis/ (created together by createRedisPorts); nothing else in Aura talks to Redis.
import type { RedisPublisher } from '../../generated/redis';
import type * as S from '../../generated/schemas';

// ---------------------------------------------------------------- stream log

/** One logged SSE event: its position, its `event:` name and its already-validated JSON line. */
export interface LogEntry {
  seq: number;
  event: string;
  data: string;
}

/**
 * A fencing condition for appends: the lease key must still hold this owner. A process that
 * was paused past its lease (and whose run another instance has taken over) cannot append.
 */
export interface Fence {
  key: string;
  owner: string;
}

export interface TailOptions {
  signal: AbortSignal;
}

/**
 * The per-stream event log every SSE response is served from: the producer appends, any number
 * of readers (in any instance) replay after a position and then follow live.
 */
export interface StreamLog {
  /** Appends one event; resolves to its sequence number (1, 2, ...). FencedError unless the fence holds. */
  append(streamId: string, event: string, data: string, fence: Fence): Promise<number>;
  /** Marks the stream finished (readers then end with `[DONE]`). */
  finish(streamId: string, fence: Fence): Promise<number>;
  /** Every logged entry after `afterSeq` (what a takeover needs to know about the run so far). */
  range(streamId: string, afterSeq: number): Promise<LogEntry[]>;
  /** The last sequence number, or null when there is no such log (unknown or expired). */
  lastSeq(streamId: string): Promise<number | null>;
  /** Entries after `afterSeq`, then live ones, until the DONE entry (yielded) or the signal aborts. */
  tail(streamId: string, afterSeq: number, options: TailOptions): AsyncGenerator<LogEntry>;
}

// ---------------------------------------------------------------- run state and leases

/** Agent run state; who drives a run is the lease's business. */
export interface AgentRuns {
  /** A new run: its record and the request it was started with, together. */
  create(record: S.AuraAgentRunRecord, job: S.AuraAgentJobRecord): Promise<void>;
  save(record: S.AuraAgentRunRecord): Promise<void>;
  get(streamId: string): Promise<S.AuraAgentRunRecord | null>;
  job(streamId: string): Promise<S.AuraAgentJobRecord | null>;
}

/** Analysis run state and requests. */
export interface AnalysisRuns {
  /** Stores a new run and its request unless a run with this runId exists; resolves to the stored run either way. */
  createOnce(status: S.AnalysisRunStatus, job: S.AuraAnalysisJobRecord): Promise<{ created: boolean; run: S.AnalysisRunStatus }>;
  save(status: S.AnalysisRunStatus): Promise<void>;
  get(runId: string): Promise<S.AnalysisRunStatus | null>;
  job(runId: string): Promise<S.AuraAnalysisJobRecord | null>;
}

export interface Lease {
  readonly id: string;
  /** Appends made under this lease are refused once another instance holds it. */
  readonly fence: Fence;
  /** The run is finished: stop renewing, delete the lease, leave the index. */
  finish(): Promise<void>;
  /** Shutting down: stop renewing and make the run due now for another instance's sweeper. */
  handOver(): Promise<void>;
  /** Stop renewing and leave the store as it is (the lease lapses; a sweeper adopts the run later). */
  stop(): void;
}

/**
 * Leases of runs plus the index of runs not finished yet. The owner renews both; when it stops
 * (dies, hangs, shuts down), any instance's sweeper can claim the run.
 */
export interface RunLeases {
  /** Takes a fresh run's lease and indexes it; null if someone holds it. `onLost`: a renewal found another owner. */
  acquire(id: string, onLost: () => void): Promise<Lease | null>;
  /** Takes over an indexed run whose lease has lapsed; null if another instance was first. */
  claim(id: string, onLost: () => void): Promise<Lease | null>;
  /** Runs whose lease has lapsed (by the store's clock), at most `max`. */
  due(max: number): Promise<string[]>;
}

// ---------------------------------------------------------------- HITL

export type ExpireResult =
  | { expired: true }
  /** A decision won the race (or the record is gone, `record: null`). */
  | { expired: false; record: S.HitlRequestRecord | null };

/** Aura's side of the `hitl:*` keys: it creates request and session, expires the wait, reads everything. */
export interface HitlWaits {
  /**
   * Writes a new request and its session (and announces it to the approvals inbox), unless the
   * request exists already (a re-driven run writing the request its dead owner wrote): that one
   * stands, decided or not, and is returned.
   */
  create(request: S.HitlRequestRecord): Promise<S.HitlRequestRecord>;
  /**
   * Marks a still-pending request `expired` (the wait timed out). If the backend decided first,
   * the decision stands and is returned instead: the run must then conclude with it.
   */
  expire(requestId: string, at: number): Promise<ExpireResult>;
  request(requestId: string): Promise<S.HitlRequestRecord | null>;
  session(sessionId: string): Promise<S.HitlSessionRecord | null>;
  /** The stored decision signal of a session (ContractViolationError when off-contract). */
  signal(sessionId: string): Promise<S.HitlSignal | null>;
}

/** A pub/sub subscriber connection (the HITL signal channels). */
export interface Subscriber {
  /** Resolves once the store confirms the subscription. */
  subscribe(...channels: string[]): Promise<unknown>;
  unsubscribe(channel: string): Promise<unknown>;
  onMessage(listener: (channel: string, message: string) => void): void;
  /** Called on every (re)connection. */
  onReady(listener: () => void): void;
}

// ---------------------------------------------------------------- decisions and feedback

/** The once-only marker of a recorded decision and the feedback lines not yet written. */
export interface PendingFeedback {
  /**
   * Once per request, in one step: the marker, `line` kept pending, the outbox entry and the
   * PUBLISH of `message`. Resolves to the receivers, or null when the request's decision had
   * been recorded already (then nothing is written).
   */
  recordOnce(requestId: string, actionType: string, line: string, channel: string, message: string): Promise<number | null>;
  /** Pending lines whose grace period has passed, at most `max`. */
  due(max: number): Promise<string[]>;
  /** Claims a due line for one grace period; false when it is not due (another instance has it). */
  claim(line: string): Promise<boolean>;
  /** The line is written: it is no longer pending. */
  remove(line: string): Promise<void>;
}

// ---------------------------------------------------------------- RAG

/** Stored RAG chunks and documents per tenant, with a version counter that moves on every ingest. */
export interface RagChunks {
  document(tenantId: string, documentId: string): Promise<S.RagDocumentRecord | null>;
  putChunks(tenantId: string, chunks: S.RagChunkRecord[]): Promise<void>;
  deleteChunks(tenantId: string, chunkIds: string[]): Promise<void>;
  /** Stores the document record and moves the tenant's version, together. */
  putDocument(tenantId: string, record: S.RagDocumentRecord): Promise<void>;
  /** `'0'` when the tenant has nothing. */
  version(tenantId: string): Promise<string>;
  /** Every chunk of the tenant, in batches of about `count` (a chunk may come twice); off-contract ones are skipped. */
  scanChunks(tenantId: string, count: number): AsyncGenerator<S.RagChunkRecord[]>;
}

// ---------------------------------------------------------------- publishing, health

/** Publishes one message on a channel (the generated publish helpers validate it first). */
export type Publisher = RedisPublisher;

export interface HealthProbe {
  /** True when the store answers in time. */
  ping(): Promise<boolean>;
}

/** Every port, as the composition hands them to the runtime. */
export interface AuraPorts {
  agentLog: StreamLog;
  analysisLog: StreamLog;
  agentRuns: AgentRuns;
  analysisRuns: AnalysisRuns;
  agentLeases: RunLeases;
  analysisLeases: RunLeases;
  hitl: HitlWaits;
  hitlSubscriber: Subscriber;
  pendingFeedback: PendingFeedback;
  rag: RagChunks;
  /** Every notification also goes to the workbench outbox. */
  publisher: Publisher;
  health: HealthProbe;
  /** Closes the connections the ports opened (not the one they were given). */
  close(): void;
}
