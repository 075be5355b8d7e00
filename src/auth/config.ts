import { type Env, int, jwtSecret, port, str } from '../shared/config/env';

export interface AuthConfig {
  port: number;
  jwtSecret: string;
  tokenTtlSeconds: number;
  databaseUrl?: string;
  pgliteDir: string;
}

export function loadAuthConfig(env: Env = process.env, warn?: (m: string) => void): AuthConfig {
  const cfg: AuthConfig = {
    port: port(env, 'AUTH_PORT', 8001),
    jwtSecret: jwtSecret(env, warn),
    tokenTtlSeconds: int(env, 'JWT_TTL_SECONDS', 3600, 60),
    pgliteDir: str(env, 'PGLITE_DATA_DIR', './data/pglite'),
  };
  if (env.DATABASE_URL) cfg.databaseUrl = env.DATABASE_URL;
  return cfg;
}
