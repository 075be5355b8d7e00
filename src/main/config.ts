import { type Env, responseValidation, int, jwtSecret, port, redisTarget, str, host } from '../shared/config/env';
import type { RedisTarget } from '../shared/redis/options';
import { hitlRequestAddress } from '../../generated/redis';

export interface MainConfig {
  /** Listening address (`MAIN_HOST`): the loopback unless opened. */
  host: string;
  port: number;
  jwtSecret: string;
  /** Share of responses checked against openapi.yaml (`RESPONSE_VALIDATION`). */
  responseValidation: number;
  /** Where every Redis connection goes (`REDIS_URL`, or `REDIS_SENTINELS` + `REDIS_MASTER_NAME`). */
  redis: RedisTarget;
  databaseUrl?: string;
  pgliteDir: string;
  auraUrl: string;
  /** Per-call timeout of calls to Aura (`AURA_TIMEOUT_MS`, default 10 s like the gateway's connect timeout). */
  auraTimeoutMs: number;
  /** Tell Aura about each decision with RecordAction (`AURA_RECORD_ACTION=false` turns it off). */
  auraRecordAction: boolean;
  /** How often the workbench outbox is read besides after each (re)subscription. */
  outboxSweepMs: number;
  /** Where the HITL_REQUEST message of each decision is published (`WORKBENCH_HITL_REQUEST_CHANNEL`). */
  hitlRequestChannel: string;
}

export function loadMainConfig(env: Env = process.env, warn?: (m: string) => void): MainConfig {
  const cfg: MainConfig = {
    host: host(env, 'MAIN_HOST'),
    port: port(env, 'MAIN_PORT', 8081),
    jwtSecret: jwtSecret(env, warn),
    responseValidation: responseValidation(env),
    redis: redisTarget(env),
    pgliteDir: str(env, 'PGLITE_DATA_DIR', './data/pglite'),
    // The backend calls Aura directly (not through the gateway); first instance of a list.
    auraUrl: str(env, 'AURA_URL', 'http://127.0.0.1:9000').split(',')[0].trim(),
    auraTimeoutMs: int(env, 'AURA_TIMEOUT_MS', 10_000, 1),
    auraRecordAction: str(env, 'AURA_RECORD_ACTION', 'true') !== 'false',
    outboxSweepMs: int(env, 'MAIN_OUTBOX_SWEEP_MS', 5_000, 100),
    hitlRequestChannel: hitlRequestAddress(env),
  };
  if (env.DATABASE_URL) cfg.databaseUrl = env.DATABASE_URL;
  return cfg;
}
