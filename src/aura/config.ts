import { randomUUID } from 'node:crypto';
import { alertAddress, caseActionAddress, hitlRequestAddress, ragStatusAddress } from '../../generated/redis';
import { ConfigError, type Env, int, responseValidation, isProduction, jwtSecret, port, redisTarget, redisUrl, str, host } from '../shared/config/env';
import type { RedisTarget } from '../shared/redis/options';

export interface LlmConfig {
  baseUrl: string;
  apiKey?: string;
  model: string;
  /** How long a model call may stay silent (no byte) before the built-in agent takes over. */
  timeoutMs: number;
  /** Model turns before the HITL proposal; a model still calling tools after that is replaced by the built-in agent. */
  maxSteps: number;
  /** How much of the request context (JSON characters) goes into the prompt; the rest is cut, and the prompt says so. */
  contextChars: number;
}

export interface AuraConfig {
  /** Listening address (`AURA_HOST`): the loopback unless opened. */
  host: string;
  port: number;
  jwtSecret: string;
  /** Share of responses checked against openapi.yaml (`RESPONSE_VALIDATION`). */
  responseValidation: number;
  /** `REDIS_URL` as given; connections use `redis`, which also knows Sentinel. */
  redisUrl: string;
  /** Where every Redis connection goes (`REDIS_URL`, or `REDIS_SENTINELS` + `REDIS_MASTER_NAME`). */
  redis: RedisTarget;
  hitlTimeoutSeconds: number;
  hitlFeedbackLogPath?: string;
  /** Names the feedback log this instance writes; instances sharing one log recover each other's pending lines. */
  feedbackLogId: string;
  sseHeartbeatMs: number;
  channels: { caseAction: string; ragStatus: string; alert: string; hitlRequest: string };
  /** Names this process in run leases, so another instance can tell a live owner from a gone one. */
  instanceId: string;
  /** How long a run's lease lives without renewal; another instance takes the run over after it lapses. */
  runLeaseMs: number;
  /** How often this instance looks for runs whose lease lapsed (a fraction of the lease, so takeover is prompt). */
  sweepIntervalMs: number;
  /** How long the shared tail blocks in one XREAD (new streams wake it at once; this only bounds an idle round). */
  tailBlockMs: number;
  /** Optional OpenAI-compatible model that drives the agent loop (off unless AURA_LLM_BASE_URL is set). */
  llm?: LlmConfig;
}

export function loadAuraConfig(env: Env = process.env, warn?: (m: string) => void): AuraConfig {
  const cfg: AuraConfig = {
    host: host(env, 'AURA_HOST'),
    port: port(env, 'AURA_PORT', 9000),
    jwtSecret: jwtSecret(env, warn),
    responseValidation: responseValidation(env),
    redisUrl: redisUrl(env),
    redis: redisTarget(env),
    hitlTimeoutSeconds: int(env, 'HITL_TIMEOUT_SECONDS', 300, 1),
    sseHeartbeatMs: int(env, 'SSE_HEARTBEAT_MS', 15_000, 100),
    channels: { caseAction: caseActionAddress(env), ragStatus: ragStatusAddress(env), alert: alertAddress(env), hitlRequest: hitlRequestAddress(env) },
    instanceId: str(env, 'AURA_INSTANCE_ID', `aura-${randomUUID()}`),
    runLeaseMs: int(env, 'AURA_RUN_LEASE_MS', 10_000, 500),
    tailBlockMs: int(env, 'AURA_TAIL_BLOCK_MS', 2_000, 50),
    sweepIntervalMs: 0,
    feedbackLogId: str(env, 'AURA_FEEDBACK_LOG_ID', 'default'),
  };
  cfg.sweepIntervalMs = int(env, 'AURA_SWEEP_INTERVAL_MS', Math.max(50, Math.floor(cfg.runLeaseMs / 2)), 50);
  if (env.HITL_FEEDBACK_LOG_PATH) cfg.hitlFeedbackLogPath = env.HITL_FEEDBACK_LOG_PATH;
  if (env.AURA_LLM_BASE_URL) cfg.llm = llmConfig(env, env.AURA_LLM_BASE_URL);
  return cfg;
}

function llmConfig(env: Env, raw: string): LlmConfig {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new ConfigError(`AURA_LLM_BASE_URL must be an http(s) URL, got "${raw}"`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new ConfigError(`AURA_LLM_BASE_URL must be an http(s) URL, got "${raw}"`);
  // A wrong model name does not fail loudly: every run would quietly fall back to the built-in
  // agent. Production must name the model it means.
  if (isProduction(env) && !env.AURA_LLM_MODEL) throw new ConfigError('AURA_LLM_MODEL must be set in production when AURA_LLM_BASE_URL is');
  const llm: LlmConfig = {
    baseUrl: raw.replace(/\/+$/, ''),
    model: str(env, 'AURA_LLM_MODEL', 'gpt-4o-mini'),
    timeoutMs: int(env, 'AURA_LLM_TIMEOUT_MS', 20_000, 100),
    maxSteps: int(env, 'AURA_LLM_MAX_STEPS', 8, 1),
    contextChars: int(env, 'AURA_LLM_CONTEXT_CHARS', 32_000, 1000),
  };
  if (env.AURA_LLM_API_KEY) llm.apiKey = env.AURA_LLM_API_KEY;
  return llm;
}
