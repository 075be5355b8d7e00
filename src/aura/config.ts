import { alertAddress, caseActionAddress, ragStatusAddress } from '../../generated/redis';
import { type Env, int, jwtSecret, port, redisUrl } from '../shared/config/env';

export interface AuraConfig {
  port: number;
  jwtSecret: string;
  redisUrl: string;
  hitlTimeoutSeconds: number;
  hitlFeedbackLogPath?: string;
  sseHeartbeatMs: number;
  channels: { caseAction: string; ragStatus: string; alert: string };
  production: boolean;
}

export function loadAuraConfig(env: Env = process.env, warn?: (m: string) => void): AuraConfig {
  const cfg: AuraConfig = {
    port: port(env, 'AURA_PORT', 9000),
    jwtSecret: jwtSecret(env, warn),
    redisUrl: redisUrl(env),
    hitlTimeoutSeconds: int(env, 'HITL_TIMEOUT_SECONDS', 300, 1),
    sseHeartbeatMs: int(env, 'SSE_HEARTBEAT_MS', 15_000, 100),
    channels: { caseAction: caseActionAddress(env), ragStatus: ragStatusAddress(env), alert: alertAddress(env) },
    production: (env.NODE_ENV ?? 'development') === 'production',
  };
  if (env.HITL_FEEDBACK_LOG_PATH) cfg.hitlFeedbackLogPath = env.HITL_FEEDBACK_LOG_PATH;
  return cfg;
}
