import { type Env, responseValidation, int, jwtSecret, port, str, host } from '../shared/config/env';

export interface AuthConfig {
  /** Listening address (`AUTH_HOST`): the loopback unless opened. */
  host: string;
  port: number;
  jwtSecret: string;
  /** Share of responses checked against openapi.yaml (`RESPONSE_VALIDATION`). */
  responseValidation: number;
  tokenTtlSeconds: number;
  databaseUrl?: string;
  pgliteDir: string;
}

export function loadAuthConfig(env: Env = process.env, warn?: (m: string) => void): AuthConfig {
  const cfg: AuthConfig = {
    host: host(env, 'AUTH_HOST'),
    port: port(env, 'AUTH_PORT', 8001),
    jwtSecret: jwtSecret(env, warn),
    responseValidation: responseValidation(env),
    tokenTtlSeconds: int(env, 'JWT_TTL_SECONDS', 3600, 60),
    pgliteDir: str(env, 'PGLITE_DATA_DIR', './data/pglite'),
  };
  if (env.DATABASE_URL) cfg.databaseUrl = env.DATABASE_URL;
  return cfg;
}
