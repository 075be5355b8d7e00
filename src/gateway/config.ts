import { type Env, jwtSecret, port, str } from '../shared/config/env';

export interface GatewayConfig {
  port: number;
  jwtSecret: string;
  upstreams: { aura: string[]; main: string[]; auth: string[] };
  corsAllowedOrigins: string[];
  databaseUrl?: string;
  pgliteDir: string;
  production: boolean;
}

const list = (v: string) =>
  v
    .split(',')
    .map((s) => s.trim().replace(/\/$/, ''))
    .filter(Boolean);

export function loadGatewayConfig(env: Env = process.env, warn?: (m: string) => void): GatewayConfig {
  const cfg: GatewayConfig = {
    port: port(env, 'GATEWAY_PORT', 8080),
    jwtSecret: jwtSecret(env, warn),
    upstreams: {
      aura: list(str(env, 'AURA_URL', 'http://127.0.0.1:9000')),
      main: list(str(env, 'MAIN_URL', 'http://127.0.0.1:8081')),
      auth: list(str(env, 'AUTH_URL', 'http://127.0.0.1:8001')),
    },
    corsAllowedOrigins: list(str(env, 'CORS_ALLOWED_ORIGINS', 'http://localhost:4200,http://localhost:3000')),
    pgliteDir: str(env, 'PGLITE_DATA_DIR', './data/pglite'),
    production: (env.NODE_ENV ?? 'development') === 'production',
  };
  if (env.DATABASE_URL) cfg.databaseUrl = env.DATABASE_URL;
  return cfg;
}
