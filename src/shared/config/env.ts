// Helpers shared by the per-service config modules.
import { randomBytes } from 'node:crypto';
import { DEFAULT_REDIS_MASTER_NAME, DEFAULT_REDIS_URL, parseSentinels, type RedisTarget } from '../redis/options';

export type Env = Record<string, string | undefined>;

export class ConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ConfigError';
  }
}

export function isProduction(env: Env): boolean {
  return (env.NODE_ENV ?? 'development') === 'production';
}

/**
 * The address a service listens on: the loopback unless opened on purpose, so a service behind
 * the gateway cannot be reached around it from the network (set it to 0.0.0.0 to open it).
 */
export function host(env: Env, name: string, fallback = '127.0.0.1'): string {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  if (!/^[A-Za-z0-9.:%_-]{1,255}$/.test(raw)) throw new ConfigError(`${name} must be a host name or an IP address, got "${raw}"`);
  return raw;
}

export function port(env: Env, name: string, fallback: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 0 || n > 65535) throw new ConfigError(`${name} must be a port number, got "${raw}"`);
  return n;
}

export function int(env: Env, name: string, fallback: number, min = 0): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < min) throw new ConfigError(`${name} must be an integer ≥ ${min}, got "${raw}"`);
  return n;
}

/**
 * `RESPONSE_VALIDATION`: the share of responses a service checks against openapi.yaml. `on` (1)
 * by default in development and tests, `off` (0) by default in production; a number between 0
 * and 1 samples (0.01: one response in a hundred).
 */
export function responseValidation(env: Env): number {
  const raw = (env.RESPONSE_VALIDATION ?? '').trim().toLowerCase();
  if (raw === '') return isProduction(env) ? 0 : 1;
  if (raw === 'on' || raw === 'true') return 1;
  if (raw === 'off' || raw === 'false') return 0;
  const n = Number(raw);
  if (!Number.isFinite(n) || n < 0 || n > 1) throw new ConfigError(`RESPONSE_VALIDATION must be on, off or a share between 0 and 1, got "${env.RESPONSE_VALIDATION}"`);
  return n;
}

export function str(env: Env, name: string, fallback: string): string {
  const v = env[name];
  return v === undefined || v === '' ? fallback : v;
}

const MIN_SECRET_BYTES = 32;

/**
 * JWT_SECRET: required (≥ 32 bytes) in production. In development a missing or short one is
 * replaced by a generated secret, written back to `env` so services started together share it.
 */
export function jwtSecret(env: Env, warn: (msg: string) => void = () => undefined): string {
  const s = env.JWT_SECRET;
  if (s && Buffer.byteLength(s, 'utf8') >= MIN_SECRET_BYTES) return s;
  if (isProduction(env)) {
    throw new ConfigError(`JWT_SECRET must be set to at least ${MIN_SECRET_BYTES} bytes in production`);
  }
  const generated = randomBytes(48).toString('base64url');
  warn(
    s
      ? `JWT_SECRET is shorter than ${MIN_SECRET_BYTES} bytes; using a generated development secret`
      : 'JWT_SECRET is not set; using a generated development secret (tokens do not survive a restart)',
  );
  env.JWT_SECRET = generated;
  return generated;
}

export function redisUrl(env: Env): string {
  return str(env, 'REDIS_URL', DEFAULT_REDIS_URL);
}

/**
 * Every service's Redis: `REDIS_SENTINELS` (host:port list) and `REDIS_MASTER_NAME` when the
 * master is found through Sentinel, else the one server of `REDIS_URL`.
 */
export function redisTarget(env: Env): RedisTarget {
  const target: RedisTarget = { url: redisUrl(env), masterName: str(env, 'REDIS_MASTER_NAME', DEFAULT_REDIS_MASTER_NAME) };
  const raw = env.REDIS_SENTINELS?.trim();
  if (raw) {
    try {
      target.sentinels = parseSentinels(raw);
    } catch (err) {
      throw new ConfigError((err as Error).message);
    }
  }
  return target;
}
