import { randomUUID } from 'node:crypto';
import { alertAddress, caseActionAddress, ragStatusAddress } from '../../generated/redis';
import { type Env, host, int, jwtSecret, port, redisUrl, str } from '../shared/config/env';

export interface LlmConfig {
  baseUrl: string;
  apiKey?: string;
  model: string;
  timeoutMs: number;
}

export interface AuraConfig {
  /** Listening address (`AURA_HOST`): the loopback unless opened. */
  host: string;
  port: number;
  jwtSecret: string;
  redisUrl: string;
  hitlTimeoutSeconds: number;
  hitlFeedbackLogPath?: string;
  /** Names the feedback log this instance writes; instances sharing one log recover each other's pending lines. */
  feedbackLogId: string;
  sseHeartbeatMs: number;
  channels: { caseAction: string; ragStatus: string; alert: string };
  /** Names this process in run leases, so another instance can tell a live owner from a gone one. */
  instanceId: string;
  /** How long a run's lease lives without renewal; another instance takes the run over after it lapses. */
  runLeaseMs: number;
  /** How often this instance looks for runs whose lease lapsed (a fraction of the lease, so takeover is prompt). */
  sweepIntervalMs: number;
  /** How long the shared tail blocks in one XREAD (new streams wake it at once; this only bounds an idle round). */
  tailBlockMs: number;
  /** Optional OpenAI-compatible provider for thoughts and content (off unless AURA_LLM_BASE_URL is set). */
  llm?: LlmConfig;
}

export function loadAuraConfig(env: Env = process.env, warn?: (m: string) => void): AuraConfig {
  const cfg: AuraConfig = {
    host: host(env, 'AURA_HOST'),
    port: port(env, 'AURA_PORT', 9000),
    jwtSecret: jwtSecret(env, warn),
    redisUrl: redisUrl(env),
    hitlTimeoutSeconds: int(env, 'HITL_TIMEOUT_SECONDS', 300, 1),
    sseHeartbeatMs: int(env, 'SSE_HEARTBEAT_MS', 15_000, 100),
    channels: { caseAction: caseActionAddress(env), ragStatus: ragStatusAddress(env), alert: alertAddress(env) },
    instanceId: str(env, 'AURA_INSTANCE_ID', `aura-${randomUUID()}`),
    runLeaseMs: int(env, 'AURA_RUN_LEASE_MS', 10_000, 500),
    tailBlockMs: int(env, 'AURA_TAIL_BLOCK_MS', 2_000, 50),
    sweepIntervalMs: 0,
    feedbackLogId: str(env, 'AURA_FEEDBACK_LOG_ID', 'default'),
  };
  cfg.sweepIntervalMs = int(env, 'AURA_SWEEP_INTERVAL_MS', Math.max(50, Math.floor(cfg.runLeaseMs / 2)), 50);
  if (env.HITL_FEEDBACK_LOG_PATH) cfg.hitlFeedbackLogPath = env.HITL_FEEDBACK_LOG_PATH;
  if (env.AURA_LLM_BASE_URL) {
    cfg.llm = {
      baseUrl: env.AURA_LLM_BASE_URL.replace(/\/+$/, ''),
      model: str(env, 'AURA_LLM_MODEL', 'gpt-4o-mini'),
      timeoutMs: int(env, 'AURA_LLM_TIMEOUT_MS', 20_000, 100),
    };
    if (env.AURA_LLM_API_KEY) cfg.llm.apiKey = env.AURA_LLM_API_KEY;
  }
  return cfg;
}
