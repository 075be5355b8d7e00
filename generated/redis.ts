// DO NOT EDIT — rendered by @asyncapi/generator from asyncapi.yaml with scripts/codegen/asyncapi-template.
// Change the spec, then run `npm run generate`.
import type * as S from './schemas';
import * as V from './validators/schemas';
import type { ValidateFunction } from 'ajv';
import { IDENTIFIER_PATTERN } from './contract';

/** The narrow port every publisher implements (ioredis satisfies it). */
export interface RedisPublisher {
  publish(channel: string, message: string): Promise<number>;
}

/** The narrow port every record reader implements (ioredis satisfies it). */
export interface RedisReader {
  get(key: string): Promise<string | null>;
}

/** A message that does not match its schema: a bug on the sending side, never sent. */
export class ContractViolationError extends Error {
  constructor(readonly schema: string, readonly errors: unknown) {
    super(`message does not match ${schema}: ${JSON.stringify(errors)}`);
    this.name = 'ContractViolationError';
  }
}

function check<T>(validate: ValidateFunction, schema: string, value: unknown): T {
  if (!validate(value)) throw new ContractViolationError(schema, validate.errors);
  return value as T;
}

function fill(pattern: string, params: Record<string, string>): string {
  return pattern.replace(/\{([A-Za-z0-9_]+)\}/g, (_, name: string) => {
    const v = params[name];
    // Identifiers keep Redis glob characters and CR/LF out of channel and key names.
    if (typeof v !== 'string' || !IDENTIFIER_PATTERN.test(v)) throw new ContractViolationError('Identifier', [{ param: name, value: v }]);
    return v;
  });
}

function decode(raw: string | Buffer): unknown {
  try {
    return JSON.parse(typeof raw === 'string' ? raw : raw.toString('utf8'));
  } catch (e) {
    throw new ContractViolationError('JSON', [{ message: (e as Error).message }]);
  }
}

// ---------------------------------------------------------------- channels

export const CHANNELS = {
  hitlChannel: { address: "hitl:channel:{sessionId}", parameters: ["sessionId"], envVar: null, messages: ["HitlApprovalSignal", "HitlRejectionSignal"] },
  caseAction: { address: "workbench:case:action", parameters: [], envVar: "CASE_ACTION_REDIS_CHANNEL", messages: ["CaseActionNotification"] },
  ragStatus: { address: "workbench:rag:status", parameters: [], envVar: "WORKBENCH_RAG_STATUS_CHANNEL", messages: ["RagStatusNotification"] },
  hitlRequest: { address: "workbench:hitl:request", parameters: [], envVar: "WORKBENCH_HITL_REQUEST_CHANNEL", messages: ["HitlRequestNotification"] },
  alert: { address: "workbench:alert", parameters: [], envVar: "WORKBENCH_ALERT_CHANNEL", messages: ["AiDetectNotification"] },
} as const;

/** Subscription pattern `workbench:*`. */
export const WORKBENCH_PATTERN = "workbench:*";

// hitl:channel:{sessionId} — The backend publishes the decision of a HITL request here; the Aura run waiting on that session resumes.
export type HitlChannelMessage = S.HitlApprovalSignal | S.HitlRejectionSignal;
export type HitlChannelParams = { sessionId: string };
export function hitlChannelAddress(params: HitlChannelParams): string {
  return fill(CHANNELS.hitlChannel.address, params);
}
/** Validates one message of `hitl:channel:{sessionId}` (throws ContractViolationError). */
export function validateHitlChannelMessage(value: unknown): HitlChannelMessage {
  const errors: unknown[] = [];
  if (V.HitlApprovalSignal(value)) return value as HitlChannelMessage;
  errors.push(V.HitlApprovalSignal.errors);
  if (V.HitlRejectionSignal(value)) return value as HitlChannelMessage;
  errors.push(V.HitlRejectionSignal.errors);
  throw new ContractViolationError("HitlApprovalSignal|HitlRejectionSignal", errors);
}
/** Serialises a message for `hitl:channel:{sessionId}`, validating it first. */
export function encodeHitlChannelMessage(message: HitlChannelMessage): string {
  return JSON.stringify(validateHitlChannelMessage(message));
}
/** Parses a message received on `hitl:channel:{sessionId}`, validating it. */
export function parseHitlChannelMessage(raw: string | Buffer): HitlChannelMessage {
  return validateHitlChannelMessage(decode(raw));
}
/** Validates and publishes on `hitl:channel:{sessionId}`; resolves to the number of receivers. */
export function publishHitlChannel(publisher: RedisPublisher, params: HitlChannelParams, message: HitlChannelMessage): Promise<number> {
  return publisher.publish(hitlChannelAddress(params), encodeHitlChannelMessage(message));
}

// workbench:case:action — Case action notifications
export type CaseActionMessage = S.CaseActionNotification;
/** The channel name: `CASE_ACTION_REDIS_CHANNEL` when set in `env`, else `workbench:case:action`. */
export function caseActionAddress(env: Record<string, string | undefined> = {}): string {
  return env[CHANNELS.caseAction.envVar] || CHANNELS.caseAction.address;
}
/** Validates one message of `workbench:case:action` (throws ContractViolationError). */
export function validateCaseActionMessage(value: unknown): CaseActionMessage {
  return check<CaseActionMessage>(V.CaseActionNotification, "CaseActionNotification", value);
}
/** Serialises a message for `workbench:case:action`, validating it first. */
export function encodeCaseActionMessage(message: CaseActionMessage): string {
  return JSON.stringify(validateCaseActionMessage(message));
}
/** Parses a message received on `workbench:case:action`, validating it. */
export function parseCaseActionMessage(raw: string | Buffer): CaseActionMessage {
  return validateCaseActionMessage(decode(raw));
}
/** Validates and publishes on `workbench:case:action` (or the configured override); resolves to the number of receivers. */
export function publishCaseAction(publisher: RedisPublisher, message: CaseActionMessage, channel: string = CHANNELS.caseAction.address): Promise<number> {
  return publisher.publish(channel, encodeCaseActionMessage(message));
}

// workbench:rag:status — RAG status notifications
export type RagStatusMessage = S.RagStatusNotification;
/** The channel name: `WORKBENCH_RAG_STATUS_CHANNEL` when set in `env`, else `workbench:rag:status`. */
export function ragStatusAddress(env: Record<string, string | undefined> = {}): string {
  return env[CHANNELS.ragStatus.envVar] || CHANNELS.ragStatus.address;
}
/** Validates one message of `workbench:rag:status` (throws ContractViolationError). */
export function validateRagStatusMessage(value: unknown): RagStatusMessage {
  return check<RagStatusMessage>(V.RagStatusNotification, "RagStatusNotification", value);
}
/** Serialises a message for `workbench:rag:status`, validating it first. */
export function encodeRagStatusMessage(message: RagStatusMessage): string {
  return JSON.stringify(validateRagStatusMessage(message));
}
/** Parses a message received on `workbench:rag:status`, validating it. */
export function parseRagStatusMessage(raw: string | Buffer): RagStatusMessage {
  return validateRagStatusMessage(decode(raw));
}
/** Validates and publishes on `workbench:rag:status` (or the configured override); resolves to the number of receivers. */
export function publishRagStatus(publisher: RedisPublisher, message: RagStatusMessage, channel: string = CHANNELS.ragStatus.address): Promise<number> {
  return publisher.publish(channel, encodeRagStatusMessage(message));
}

// workbench:hitl:request — Created (Aura), approved/rejected (main, in its decision script), expired (Aura's timeout); appended to the workbench outbox in the same script as the PUBLISH.
export type HitlRequestMessage = S.HitlRequestNotification;
/** The channel name: `WORKBENCH_HITL_REQUEST_CHANNEL` when set in `env`, else `workbench:hitl:request`. */
export function hitlRequestAddress(env: Record<string, string | undefined> = {}): string {
  return env[CHANNELS.hitlRequest.envVar] || CHANNELS.hitlRequest.address;
}
/** Validates one message of `workbench:hitl:request` (throws ContractViolationError). */
export function validateHitlRequestMessage(value: unknown): HitlRequestMessage {
  return check<HitlRequestMessage>(V.HitlRequestNotification, "HitlRequestNotification", value);
}
/** Serialises a message for `workbench:hitl:request`, validating it first. */
export function encodeHitlRequestMessage(message: HitlRequestMessage): string {
  return JSON.stringify(validateHitlRequestMessage(message));
}
/** Parses a message received on `workbench:hitl:request`, validating it. */
export function parseHitlRequestMessage(raw: string | Buffer): HitlRequestMessage {
  return validateHitlRequestMessage(decode(raw));
}
/** Validates and publishes on `workbench:hitl:request` (or the configured override); resolves to the number of receivers. */
export function publishHitlRequest(publisher: RedisPublisher, message: HitlRequestMessage, channel: string = CHANNELS.hitlRequest.address): Promise<number> {
  return publisher.publish(channel, encodeHitlRequestMessage(message));
}

// workbench:alert — AI detection alerts
export type AlertMessage = S.AiDetectNotification;
/** The channel name: `WORKBENCH_ALERT_CHANNEL` when set in `env`, else `workbench:alert`. */
export function alertAddress(env: Record<string, string | undefined> = {}): string {
  return env[CHANNELS.alert.envVar] || CHANNELS.alert.address;
}
/** Validates one message of `workbench:alert` (throws ContractViolationError). */
export function validateAlertMessage(value: unknown): AlertMessage {
  return check<AlertMessage>(V.AiDetectNotification, "AiDetectNotification", value);
}
/** Serialises a message for `workbench:alert`, validating it first. */
export function encodeAlertMessage(message: AlertMessage): string {
  return JSON.stringify(validateAlertMessage(message));
}
/** Parses a message received on `workbench:alert`, validating it. */
export function parseAlertMessage(raw: string | Buffer): AlertMessage {
  return validateAlertMessage(decode(raw));
}
/** Validates and publishes on `workbench:alert` (or the configured override); resolves to the number of receivers. */
export function publishAlert(publisher: RedisPublisher, message: AlertMessage, channel: string = CHANNELS.alert.address): Promise<number> {
  return publisher.publish(channel, encodeAlertMessage(message));
}

// ---------------------------------------------------------------- keys

export const REDIS_KEYS = {
  hitlRequest: { pattern: "hitl:request:{requestId}", parameters: ["requestId"], ttlSeconds: 1800, type: "string", schema: "HitlRequestRecord" },
  hitlSession: { pattern: "hitl:session:{sessionId}", parameters: ["sessionId"], ttlSeconds: 3600, type: "string", schema: "HitlSessionRecord" },
  hitlSignal: { pattern: "hitl:signal:{sessionId}", parameters: ["sessionId"], ttlSeconds: 300, type: "string", schema: "HitlSignal" },
  auraAgentStream: { pattern: "aura:stream:{streamId}", parameters: ["streamId"], ttlSeconds: 3600, type: "stream", schema: null },
  auraAgentRun: { pattern: "aura:run:{streamId}", parameters: ["streamId"], ttlSeconds: 3600, type: "string", schema: "AuraAgentRunRecord" },
  auraRunLease: { pattern: "aura:lease:{streamId}", parameters: ["streamId"], ttlSeconds: 10, type: "string", schema: null },
  auraAgentRunsLive: { pattern: "aura:agent-runs:live", parameters: [], ttlSeconds: 0, type: "zset", schema: null },
  auraAgentJob: { pattern: "aura:agent-job:{streamId}", parameters: ["streamId"], ttlSeconds: 3600, type: "string", schema: "AuraAgentJobRecord" },
  auraAnalysisLease: { pattern: "aura:analysis-lease:{runId}", parameters: ["runId"], ttlSeconds: 10, type: "string", schema: null },
  auraAnalysisRunsLive: { pattern: "aura:analysis-runs:live", parameters: [], ttlSeconds: 0, type: "zset", schema: null },
  auraAnalysisJob: { pattern: "aura:analysis-job:{runId}", parameters: ["runId"], ttlSeconds: 86400, type: "string", schema: "AuraAnalysisJobRecord" },
  auraActionRecorded: { pattern: "aura:action-recorded:{requestId}", parameters: ["requestId"], ttlSeconds: 86400, type: "string", schema: null },
  auraFeedbackPending: { pattern: "aura:feedback:pending:{logId}", parameters: ["logId"], ttlSeconds: 0, type: "zset", schema: "HitlFeedbackLine" },
  auraAnalysisStream: { pattern: "aura:analysis-stream:{runId}", parameters: ["runId"], ttlSeconds: 86400, type: "stream", schema: null },
  auraAnalysisRun: { pattern: "aura:analysis-run:{runId}", parameters: ["runId"], ttlSeconds: 86400, type: "string", schema: "AnalysisRunStatus" },
  workbenchOutbox: { pattern: "workbench:outbox", parameters: [], ttlSeconds: 0, type: "stream", schema: null },
  ragChunks: { pattern: "aura:rag:{tenantId}:chunks", parameters: ["tenantId"], ttlSeconds: 0, type: "hash", schema: "RagChunkRecord" },
  ragDocuments: { pattern: "aura:rag:{tenantId}:documents", parameters: ["tenantId"], ttlSeconds: 0, type: "hash", schema: "RagDocumentRecord" },
  ragVersion: { pattern: "aura:rag:{tenantId}:version", parameters: ["tenantId"], ttlSeconds: 0, type: "string", schema: null },
} as const;

// hitl:request:{requestId} (string, TTL 1800 s) holds S.HitlRequestRecord
export function hitlRequestKey(params: { requestId: string }): string {
  return fill(REDIS_KEYS.hitlRequest.pattern, params);
}
export const HITL_REQUEST_TTL_SECONDS = 1800;
export function encodeHitlRequestRecord(record: S.HitlRequestRecord): string {
  return JSON.stringify(check<S.HitlRequestRecord>(V.HitlRequestRecord, "HitlRequestRecord", record));
}
export function parseHitlRequestRecord(raw: string | Buffer): S.HitlRequestRecord {
  return check<S.HitlRequestRecord>(V.HitlRequestRecord, "HitlRequestRecord", decode(raw));
}
/** GETs `hitl:request:{requestId}`: null when there is no such key, else the record, validated (ContractViolationError when off-contract). */
export async function readHitlRequestRecord(reader: RedisReader, params: { requestId: string }): Promise<S.HitlRequestRecord | null> {
  const raw = await reader.get(hitlRequestKey(params));
  return raw === null ? null : parseHitlRequestRecord(raw);
}

// hitl:session:{sessionId} (string, TTL 3600 s) holds S.HitlSessionRecord
export function hitlSessionKey(params: { sessionId: string }): string {
  return fill(REDIS_KEYS.hitlSession.pattern, params);
}
export const HITL_SESSION_TTL_SECONDS = 3600;
export function encodeHitlSessionRecord(record: S.HitlSessionRecord): string {
  return JSON.stringify(check<S.HitlSessionRecord>(V.HitlSessionRecord, "HitlSessionRecord", record));
}
export function parseHitlSessionRecord(raw: string | Buffer): S.HitlSessionRecord {
  return check<S.HitlSessionRecord>(V.HitlSessionRecord, "HitlSessionRecord", decode(raw));
}
/** GETs `hitl:session:{sessionId}`: null when there is no such key, else the record, validated (ContractViolationError when off-contract). */
export async function readHitlSessionRecord(reader: RedisReader, params: { sessionId: string }): Promise<S.HitlSessionRecord | null> {
  const raw = await reader.get(hitlSessionKey(params));
  return raw === null ? null : parseHitlSessionRecord(raw);
}

// hitl:signal:{sessionId} (string, TTL 300 s) holds S.HitlSignal
export function hitlSignalKey(params: { sessionId: string }): string {
  return fill(REDIS_KEYS.hitlSignal.pattern, params);
}
export const HITL_SIGNAL_TTL_SECONDS = 300;
export function encodeHitlSignalRecord(record: S.HitlSignal): string {
  return JSON.stringify(check<S.HitlSignal>(V.HitlSignal, "HitlSignal", record));
}
export function parseHitlSignalRecord(raw: string | Buffer): S.HitlSignal {
  return check<S.HitlSignal>(V.HitlSignal, "HitlSignal", decode(raw));
}
/** GETs `hitl:signal:{sessionId}`: null when there is no such key, else the record, validated (ContractViolationError when off-contract). */
export async function readHitlSignalRecord(reader: RedisReader, params: { sessionId: string }): Promise<S.HitlSignal | null> {
  const raw = await reader.get(hitlSignalKey(params));
  return raw === null ? null : parseHitlSignalRecord(raw);
}

// aura:stream:{streamId} (stream, TTL 3600 s)
export function auraAgentStreamKey(params: { streamId: string }): string {
  return fill(REDIS_KEYS.auraAgentStream.pattern, params);
}
export const AURA_AGENT_STREAM_TTL_SECONDS = 3600;

// aura:run:{streamId} (string, TTL 3600 s) holds S.AuraAgentRunRecord
export function auraAgentRunKey(params: { streamId: string }): string {
  return fill(REDIS_KEYS.auraAgentRun.pattern, params);
}
export const AURA_AGENT_RUN_TTL_SECONDS = 3600;
export function encodeAuraAgentRunRecord(record: S.AuraAgentRunRecord): string {
  return JSON.stringify(check<S.AuraAgentRunRecord>(V.AuraAgentRunRecord, "AuraAgentRunRecord", record));
}
export function parseAuraAgentRunRecord(raw: string | Buffer): S.AuraAgentRunRecord {
  return check<S.AuraAgentRunRecord>(V.AuraAgentRunRecord, "AuraAgentRunRecord", decode(raw));
}
/** GETs `aura:run:{streamId}`: null when there is no such key, else the record, validated (ContractViolationError when off-contract). */
export async function readAuraAgentRunRecord(reader: RedisReader, params: { streamId: string }): Promise<S.AuraAgentRunRecord | null> {
  const raw = await reader.get(auraAgentRunKey(params));
  return raw === null ? null : parseAuraAgentRunRecord(raw);
}

// aura:lease:{streamId} (string, TTL 10 s)
export function auraRunLeaseKey(params: { streamId: string }): string {
  return fill(REDIS_KEYS.auraRunLease.pattern, params);
}
export const AURA_RUN_LEASE_TTL_SECONDS = 10;

// aura:agent-runs:live (zset, TTL 0 s)
export function auraAgentRunsLiveKey(params: {  }): string {
  return fill(REDIS_KEYS.auraAgentRunsLive.pattern, params);
}
export const AURA_AGENT_RUNS_LIVE_TTL_SECONDS = 0;

// aura:agent-job:{streamId} (string, TTL 3600 s) holds S.AuraAgentJobRecord
export function auraAgentJobKey(params: { streamId: string }): string {
  return fill(REDIS_KEYS.auraAgentJob.pattern, params);
}
export const AURA_AGENT_JOB_TTL_SECONDS = 3600;
export function encodeAuraAgentJobRecord(record: S.AuraAgentJobRecord): string {
  return JSON.stringify(check<S.AuraAgentJobRecord>(V.AuraAgentJobRecord, "AuraAgentJobRecord", record));
}
export function parseAuraAgentJobRecord(raw: string | Buffer): S.AuraAgentJobRecord {
  return check<S.AuraAgentJobRecord>(V.AuraAgentJobRecord, "AuraAgentJobRecord", decode(raw));
}
/** GETs `aura:agent-job:{streamId}`: null when there is no such key, else the record, validated (ContractViolationError when off-contract). */
export async function readAuraAgentJobRecord(reader: RedisReader, params: { streamId: string }): Promise<S.AuraAgentJobRecord | null> {
  const raw = await reader.get(auraAgentJobKey(params));
  return raw === null ? null : parseAuraAgentJobRecord(raw);
}

// aura:analysis-lease:{runId} (string, TTL 10 s)
export function auraAnalysisLeaseKey(params: { runId: string }): string {
  return fill(REDIS_KEYS.auraAnalysisLease.pattern, params);
}
export const AURA_ANALYSIS_LEASE_TTL_SECONDS = 10;

// aura:analysis-runs:live (zset, TTL 0 s)
export function auraAnalysisRunsLiveKey(params: {  }): string {
  return fill(REDIS_KEYS.auraAnalysisRunsLive.pattern, params);
}
export const AURA_ANALYSIS_RUNS_LIVE_TTL_SECONDS = 0;

// aura:analysis-job:{runId} (string, TTL 86400 s) holds S.AuraAnalysisJobRecord
export function auraAnalysisJobKey(params: { runId: string }): string {
  return fill(REDIS_KEYS.auraAnalysisJob.pattern, params);
}
export const AURA_ANALYSIS_JOB_TTL_SECONDS = 86400;
export function encodeAuraAnalysisJobRecord(record: S.AuraAnalysisJobRecord): string {
  return JSON.stringify(check<S.AuraAnalysisJobRecord>(V.AuraAnalysisJobRecord, "AuraAnalysisJobRecord", record));
}
export function parseAuraAnalysisJobRecord(raw: string | Buffer): S.AuraAnalysisJobRecord {
  return check<S.AuraAnalysisJobRecord>(V.AuraAnalysisJobRecord, "AuraAnalysisJobRecord", decode(raw));
}
/** GETs `aura:analysis-job:{runId}`: null when there is no such key, else the record, validated (ContractViolationError when off-contract). */
export async function readAuraAnalysisJobRecord(reader: RedisReader, params: { runId: string }): Promise<S.AuraAnalysisJobRecord | null> {
  const raw = await reader.get(auraAnalysisJobKey(params));
  return raw === null ? null : parseAuraAnalysisJobRecord(raw);
}

// aura:action-recorded:{requestId} (string, TTL 86400 s)
export function auraActionRecordedKey(params: { requestId: string }): string {
  return fill(REDIS_KEYS.auraActionRecorded.pattern, params);
}
export const AURA_ACTION_RECORDED_TTL_SECONDS = 86400;

// aura:feedback:pending:{logId} (zset, TTL 0 s) holds S.HitlFeedbackLine
export function auraFeedbackPendingKey(params: { logId: string }): string {
  return fill(REDIS_KEYS.auraFeedbackPending.pattern, params);
}
export const AURA_FEEDBACK_PENDING_TTL_SECONDS = 0;
export function encodeAuraFeedbackPendingRecord(record: S.HitlFeedbackLine): string {
  return JSON.stringify(check<S.HitlFeedbackLine>(V.HitlFeedbackLine, "HitlFeedbackLine", record));
}
export function parseAuraFeedbackPendingRecord(raw: string | Buffer): S.HitlFeedbackLine {
  return check<S.HitlFeedbackLine>(V.HitlFeedbackLine, "HitlFeedbackLine", decode(raw));
}

// aura:analysis-stream:{runId} (stream, TTL 86400 s)
export function auraAnalysisStreamKey(params: { runId: string }): string {
  return fill(REDIS_KEYS.auraAnalysisStream.pattern, params);
}
export const AURA_ANALYSIS_STREAM_TTL_SECONDS = 86400;

// aura:analysis-run:{runId} (string, TTL 86400 s) holds S.AnalysisRunStatus
export function auraAnalysisRunKey(params: { runId: string }): string {
  return fill(REDIS_KEYS.auraAnalysisRun.pattern, params);
}
export const AURA_ANALYSIS_RUN_TTL_SECONDS = 86400;
export function encodeAuraAnalysisRunRecord(record: S.AnalysisRunStatus): string {
  return JSON.stringify(check<S.AnalysisRunStatus>(V.AnalysisRunStatus, "AnalysisRunStatus", record));
}
export function parseAuraAnalysisRunRecord(raw: string | Buffer): S.AnalysisRunStatus {
  return check<S.AnalysisRunStatus>(V.AnalysisRunStatus, "AnalysisRunStatus", decode(raw));
}
/** GETs `aura:analysis-run:{runId}`: null when there is no such key, else the record, validated (ContractViolationError when off-contract). */
export async function readAuraAnalysisRunRecord(reader: RedisReader, params: { runId: string }): Promise<S.AnalysisRunStatus | null> {
  const raw = await reader.get(auraAnalysisRunKey(params));
  return raw === null ? null : parseAuraAnalysisRunRecord(raw);
}

// workbench:outbox (stream, TTL 0 s)
export function workbenchOutboxKey(params: {  }): string {
  return fill(REDIS_KEYS.workbenchOutbox.pattern, params);
}
export const WORKBENCH_OUTBOX_TTL_SECONDS = 0;

// aura:rag:{tenantId}:chunks (hash, TTL 0 s) holds S.RagChunkRecord
export function ragChunksKey(params: { tenantId: string }): string {
  return fill(REDIS_KEYS.ragChunks.pattern, params);
}
export const RAG_CHUNKS_TTL_SECONDS = 0;
export function encodeRagChunksRecord(record: S.RagChunkRecord): string {
  return JSON.stringify(check<S.RagChunkRecord>(V.RagChunkRecord, "RagChunkRecord", record));
}
export function parseRagChunksRecord(raw: string | Buffer): S.RagChunkRecord {
  return check<S.RagChunkRecord>(V.RagChunkRecord, "RagChunkRecord", decode(raw));
}

// aura:rag:{tenantId}:documents (hash, TTL 0 s) holds S.RagDocumentRecord
export function ragDocumentsKey(params: { tenantId: string }): string {
  return fill(REDIS_KEYS.ragDocuments.pattern, params);
}
export const RAG_DOCUMENTS_TTL_SECONDS = 0;
export function encodeRagDocumentsRecord(record: S.RagDocumentRecord): string {
  return JSON.stringify(check<S.RagDocumentRecord>(V.RagDocumentRecord, "RagDocumentRecord", record));
}
export function parseRagDocumentsRecord(raw: string | Buffer): S.RagDocumentRecord {
  return check<S.RagDocumentRecord>(V.RagDocumentRecord, "RagDocumentRecord", decode(raw));
}

// aura:rag:{tenantId}:version (string, TTL 0 s)
export function ragVersionKey(params: { tenantId: string }): string {
  return fill(REDIS_KEYS.ragVersion.pattern, params);
}
export const RAG_VERSION_TTL_SECONDS = 0;

/** Validates any workbench notification (the union of every `workbench:*` message). */
export function parseWorkbenchNotification(raw: string | Buffer): S.WorkbenchNotification {
  return check<S.WorkbenchNotification>(V.WorkbenchNotification, 'WorkbenchNotification', decode(raw));
}
