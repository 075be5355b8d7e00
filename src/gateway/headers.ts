import type { IncomingHttpHeaders, OutgoingHttpHeaders } from 'node:http';
import { HEADERS } from '../../generated/contract';
import { ApiError } from '../shared/errors';
import { isIdentifier } from '../shared/ids';

const lc = (s: string) => s.toLowerCase();

export const H = {
  tenant: lc(HEADERS.TENANT_ID),
  user: lc(HEADERS.USER_ID),
  agent: lc(HEADERS.AGENT_ID),
  source: lc(HEADERS.DWP_SOURCE),
  callerType: lc(HEADERS.DWP_CALLER_TYPE),
  lastEventId: lc(HEADERS.LAST_EVENT_ID),
  trace: lc(HEADERS.TRACE_ID),
  gatewayRequestId: lc(HEADERS.GATEWAY_REQUEST_ID),
  authorization: lc(HEADERS.AUTHORIZATION),
} as const;

export const SOURCES = ['FRONTEND', 'AURA', 'INTERNAL', 'BATCH'] as const;
export const CALLER_TYPES = ['USER', 'AGENT', 'SYSTEM'] as const;
export const DEFAULT_SOURCE = 'FRONTEND';
export const DEFAULT_CALLER_TYPE = 'USER';

// RFC 9110 §7.6.1: meaningful for one connection only, never forwarded. `proxy-connection`
// is not standard but old clients send it, and `host` is replaced by the upstream's.
const HOP_BY_HOP = new Set([
  'connection',
  'keep-alive',
  'proxy-connection',
  'te',
  'transfer-encoding',
  'upgrade',
  'trailer',
  'proxy-authenticate',
  'proxy-authorization',
  'host',
]);

// Headers that must appear once: a second value would be ambiguous (which tenant?), and Node
// silently keeps only the first for some of them, so duplicates are refused, not merged.
const SINGLE = [
  H.tenant,
  H.user,
  H.agent,
  H.source,
  H.callerType,
  H.lastEventId,
  H.trace,
  H.authorization,
  'content-type',
  'content-length',
  'host',
];

const SINGLE_SET = new Set<string>(SINGLE);
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u0008\u000a-\u001f\u007f]/;

/**
 * The same checks as `checkRequestHeaders`, on `IncomingMessage.rawHeaders` (name, value, …
 * as received): no per-request object of arrays is built, which matters on the request path.
 */
export function checkRawHeaders(raw: readonly string[]): void {
  let seen: Set<string> | null = null;
  for (let i = 0; i < raw.length; i += 2) {
    const value = raw[i + 1];
    if (CONTROL.test(value)) throw new ApiError('E1001', `Control character in ${raw[i].toLowerCase()} header`);
    const name = raw[i].toLowerCase();
    if (!SINGLE_SET.has(name)) continue;
    if (seen === null) seen = new Set();
    else if (seen.has(name)) throw new ApiError('E1001', `Duplicate ${name} header`);
    seen.add(name);
  }
}

/** Names listed in `Connection` are hop-by-hop too (RFC 9110 §7.6.1). */
const NONE_LISTED: ReadonlySet<string> = new Set();

function connectionListed(headers: IncomingHttpHeaders): ReadonlySet<string> {
  const c = headers.connection;
  if (!c) return NONE_LISTED;
  return new Set(c.split(',').map((s) => s.trim().toLowerCase()).filter(Boolean));
}

/**
 * Refuses header sets that could be read two ways: duplicates of single-valued headers and
 * control characters in any value (Node's parser already refuses CR/LF; NUL and friends are
 * refused here so nothing downstream has to care).
 */
export function checkRequestHeaders(distinct: NodeJS.Dict<string[]>): void {
  for (const name of SINGLE) {
    const v = distinct[name];
    if (v && v.length > 1) throw new ApiError('E1001', `Duplicate ${name} header`);
  }
  for (const [name, values] of Object.entries(distinct)) {
    for (const v of values ?? []) {
      if (CONTROL.test(v)) throw new ApiError('E1001', `Control character in ${name} header`);
    }
  }
}

/** Validates the optional contract headers; missing ones get their schemas' defaults (openapi.yaml: DwpSource, DwpCallerType). */
export function contractHeaders(headers: IncomingHttpHeaders): { source: string; callerType: string; agentId?: string } {
  const errors: { field: string; message: string }[] = [];
  const source = (headers[H.source] as string | undefined) || DEFAULT_SOURCE;
  const callerType = (headers[H.callerType] as string | undefined) || DEFAULT_CALLER_TYPE;
  if (!(SOURCES as readonly string[]).includes(source)) {
    errors.push({ field: `headers.${H.source}`, message: `must be one of ${SOURCES.join(', ')}` });
  }
  if (!(CALLER_TYPES as readonly string[]).includes(callerType)) {
    errors.push({ field: `headers.${H.callerType}`, message: `must be one of ${CALLER_TYPES.join(', ')}` });
  }
  const agentId = headers[H.agent] as string | undefined;
  if (agentId !== undefined && !isIdentifier(agentId)) errors.push({ field: `headers.${H.agent}`, message: 'must be an identifier' });
  if (errors.length) throw ApiError.validation(errors);
  return agentId === undefined ? { source, callerType } : { source, callerType, agentId };
}

export interface ForwardContext {
  upstreamHost: string;
  clientIp: string | undefined;
  source: string;
  callerType: string;
  traceId: string;
  gatewayRequestId: string;
  /** From the verified token's `sub`; absent on public paths. */
  userId?: string;
  bodyLength: number;
}

/** The headers sent upstream: end-to-end headers of the client plus the gateway's own. */
export function upstreamRequestHeaders(headers: IncomingHttpHeaders, ctx: ForwardContext): OutgoingHttpHeaders {
  const listed = connectionListed(headers);
  const out: OutgoingHttpHeaders = {};
  for (const [name, value] of Object.entries(headers)) {
    if (value === undefined || HOP_BY_HOP.has(name) || listed.has(name)) continue;
    out[name] = value;
  }
  out.host = ctx.upstreamHost;
  out[H.source] = ctx.source;
  out[H.callerType] = ctx.callerType;
  out[H.trace] = ctx.traceId;
  out[H.gatewayRequestId] = ctx.gatewayRequestId;
  if (ctx.userId !== undefined) out[H.user] = ctx.userId;
  // The body was read in full, so its length is known; chunked framing is not forwarded.
  delete out['content-length'];
  if (ctx.bodyLength > 0) out['content-length'] = String(ctx.bodyLength);
  const prior = headers['x-forwarded-for'];
  if (ctx.clientIp) out['x-forwarded-for'] = prior ? `${prior}, ${ctx.clientIp}` : ctx.clientIp;
  return out;
}

/** The upstream's response headers without hop-by-hop ones (Node frames the response itself). */
export function downstreamResponseHeaders(headers: IncomingHttpHeaders): OutgoingHttpHeaders {
  const listed = connectionListed(headers);
  const out: OutgoingHttpHeaders = {};
  for (const [name, value] of Object.entries(headers)) {
    if (value === undefined || HOP_BY_HOP.has(name) || listed.has(name)) continue;
    out[name] = value;
  }
  return out;
}

/** The client's trace id when it is a clean identifier, else a fresh one. */
export function traceIdFrom(headers: IncomingHttpHeaders, fresh: () => string): string {
  const t = headers[H.trace];
  return typeof t === 'string' && isIdentifier(t) ? t : fresh();
}
