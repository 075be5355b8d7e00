import type { RedisOptions } from 'ioredis';

/** Where every Redis connection of a service goes: one server, or the master a Sentinel group names. */
export interface RedisTarget {
  /** `REDIS_URL`: the server itself; with Sentinel only its credentials and database index count. */
  url: string;
  /** `REDIS_SENTINELS`: when set, the master is asked of these and followed across failovers. */
  sentinels?: { host: string; port: number }[];
  /** `REDIS_MASTER_NAME`: the name the sentinels monitor the master under. */
  masterName: string;
}

export const DEFAULT_REDIS_URL = 'redis://127.0.0.1:6379';
export const DEFAULT_REDIS_MASTER_NAME = 'mymaster';

/** `host:port,host:port` (IPv6 as `[::1]:26379`); throws on anything else so a typo is a startup error. */
export function parseSentinels(raw: string): { host: string; port: number }[] {
  const out: { host: string; port: number }[] = [];
  for (const part of raw.split(',').map((s) => s.trim()).filter(Boolean)) {
    const m = /^(?:\[([0-9A-Fa-f:.]+)\]|([A-Za-z0-9._-]+)):(\d{1,5})$/.exec(part);
    const port = m ? Number(m[3]) : NaN;
    if (!m || port < 1 || port > 65535) throw new Error(`REDIS_SENTINELS must be a comma-separated list of host:port, got "${part}"`);
    out.push({ host: m[1] ?? m[2], port });
  }
  if (out.length === 0) throw new Error('REDIS_SENTINELS is set but names no sentinel');
  return out;
}

/** A short description for logs and `npm start`'s banner (never the password). */
export function describeRedisTarget(t: RedisTarget): string {
  if (!t.sentinels) {
    const u = new URL(t.url);
    u.password = u.password ? '***' : '';
    return u.toString();
  }
  return `sentinel ${t.sentinels.map((s) => (s.host.includes(':') ? `[${s.host}]` : s.host) + ':' + s.port).join(',')} master ${t.masterName}`;
}

/**
 * After a failover a connection can reach a server that is now a replica (a DNS name or a load
 * balancer still pointing at the old master). Its writes answer READONLY: reconnect, so the next
 * attempt finds the master. The failed command is rejected (1), not replayed (2): ioredis would
 * replay a command of a MULTI on its own, outside its transaction (half an outbox write).
 */
export function reconnectOnReadonly(err: Error): 1 | false {
  return err.message.startsWith('READONLY') ? 1 : false;
}

/**
 * The options of every Redis connection of the platform, for both a single server and Sentinel.
 * `new Redis(url, options)` for a single server; with Sentinel, `options` alone is complete.
 */
export function redisConnectionOptions(target: RedisTarget, connectionName: string, extra: RedisOptions = {}): RedisOptions {
  const base: RedisOptions = {
    connectionName,
    maxRetriesPerRequest: 3,
    retryStrategy: (times) => Math.min(50 * 2 ** Math.min(times, 6), 2000),
    reconnectOnError: reconnectOnReadonly,
    lazyConnect: false,
  };
  if (!target.sentinels) return { ...base, ...extra };
  const u = new URL(target.url);
  const db = Number(u.pathname.replace(/^\//, '') || 0);
  return {
    ...base,
    sentinels: target.sentinels,
    name: target.masterName,
    // Without it a connection learns of a manual failover only when the old master kills it as
    // it is demoted, and keeps writing to it until then: writes that the new master never sees.
    failoverDetector: true,
    sentinelRetryStrategy: (times) => Math.min(100 * times, 2000),
    ...(u.username ? { username: decodeURIComponent(u.username) } : {}),
    ...(u.password ? { password: decodeURIComponent(u.password) } : {}),
    ...(Number.isInteger(db) && db > 0 ? { db } : {}),
    ...(u.protocol === 'rediss:' ? { tls: {}, enableTLSForSentinelMode: true } : {}),
    ...extra,
  };
}
