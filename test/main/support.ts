import { checkAgainstSpec } from '../support/spec-check';
import type { ServiceApp } from '../../src/shared/http/service-app';
import pino from 'pino';
import { HEADERS } from '../../generated/contract';
import * as V from '../../generated/validators/schemas';
import { signToken } from '../../src/shared/auth/jwt';

export const silentLogger = pino({ level: process.env.TEST_LOG_LEVEL ?? 'silent' });
export const JWT_SECRET = 'test-secret-that-is-at-least-32-bytes-long!!';

/** Listens on port 0 and returns the base URL. */
export async function listen(app: ServiceApp): Promise<string> {
  await app.listen({ port: 0, host: '127.0.0.1' });
  const addr = app.server.address();
  if (!addr || typeof addr === 'string') throw new Error('no address');
  return `http://127.0.0.1:${addr.port}`;
}

export interface HttpResult {
  status: number;
  headers: Headers;
  text: string;
  json: any;
}

export async function http(
  base: string,
  method: string,
  path: string,
  opts: { headers?: Record<string, string>; body?: unknown; raw?: string } = {},
): Promise<HttpResult> {
  const headers: Record<string, string> = { ...opts.headers };
  let body: string | undefined;
  if (opts.raw !== undefined) body = opts.raw;
  else if (opts.body !== undefined) body = JSON.stringify(opts.body);
  if (body !== undefined && !Object.keys(headers).some((h) => h.toLowerCase() === 'content-type')) headers['content-type'] = 'application/json';
  const res = await fetch(base + path, { method, headers, body });
  const text = await res.text();
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    json = undefined;
  }
  checkAgainstSpec(method, base + path, res.status, res.headers.get('content-type'), json);
  return { status: res.status, headers: res.headers, text, json };
}

/**
 * A token as login issues it. The role defaults to APPROVER, the one these suites mostly act as
 * (deciding HITL requests needs it); `role: null` leaves the claim out.
 */
export function token(sub: string, tenantId: string, opts: { secret?: string; ttlSeconds?: number; now?: Date; role?: string | null } = {}): string {
  const role = opts.role === null ? undefined : (opts.role ?? 'APPROVER');
  return signToken(opts.secret ?? JWT_SECRET, { sub, tenantId, role, ttlSeconds: opts.ttlSeconds ?? 600, now: opts.now });
}

export function authHeaders(sub: string, tenantId: string, extra: Record<string, string> = {}): Record<string, string> {
  return { [HEADERS.AUTHORIZATION]: `Bearer ${token(sub, tenantId)}`, [HEADERS.TENANT_ID]: tenantId, ...extra };
}

/** An unsigned token (alg none) with otherwise valid claims. */
export function noneToken(sub: string, tenantId: string): string {
  const b64 = (o: object) => Buffer.from(JSON.stringify(o)).toString('base64url');
  const now = Math.floor(Date.now() / 1000);
  return `${b64({ alg: 'none', typ: 'JWT' })}.${b64({ sub, tenant_id: tenantId, iat: now, exp: now + 600 })}.`;
}

/** Asserts an error envelope with this status and code, valid against the contract, no stack trace. */
export function expectError(r: HttpResult, status: number, code: string): void {
  if (r.status !== status || r.json?.errorCode !== code) {
    throw new Error(`expected ${status} ${code}, got ${r.status} ${r.text.slice(0, 500)}`);
  }
  if (!V.ErrorEnvelope(r.json)) throw new Error(`not an error envelope: ${JSON.stringify(V.ErrorEnvelope.errors)}`);
  expect((r.json as { success: unknown }).success).toBe(false);
  expect(r.text).not.toMatch(/\n\s+at |stack/);
}

/** Polls `fn` until it returns a truthy value, a bounded number of times. */
export async function eventually<T>(fn: () => Promise<T | undefined | null | false>, attempts = 300, everyMs = 50): Promise<T> {
  let last: unknown;
  for (let i = 0; i < attempts; i++) {
    try {
      const v = await fn();
      if (v) return v;
    } catch (err) {
      last = err;
    }
    await new Promise((r) => setTimeout(r, everyMs));
  }
  throw new Error(`condition not met after ${attempts} attempts${last ? `: ${String(last)}` : ''}`);
}
