// The gateway's own operations (`x-service: gateway` in openapi.yaml): health, metrics, the docs
// and the workbench. Each has a handler in handlers/<OperationId>.ts; this module finds the one a
// path names, from the generated operation table, and writes what it answers. Only paths no
// proxied route claims get here, so the proxy's hot path never pays for any of this.
import type { IncomingHttpHeaders, IncomingMessage, OutgoingHttpHeaders, ServerResponse } from 'node:http';
import { type GatewayHandlers, gatewayOperationIds, type OperationSpec, operations } from '../../generated/server/operations';
import { ApiError } from '../shared/errors';
import { pathTemplate } from '../shared/http/path-template';
import type { GatewayContext } from './context';
import type { Exchange, Finishing } from './exchange';
import { sendJson } from './respond';
import { resolveRoute } from './routes';

/** What every gateway handler answers (each generated `<Op>Output` is one of these). */
export interface GatewayAnswer {
  status: number;
  /** JSON operations: the value to serialise. Text operations: the bytes, or null (a 304). */
  body: unknown;
  contentType?: string;
  headers?: OutgoingHttpHeaders;
}

/** A handler's input as the gateway builds it: path parameters raw (still percent-encoded, as received). */
export interface GatewayInput {
  params: Record<string, string>;
  query: Record<string, never>;
  headers: IncomingHttpHeaders;
  body: undefined;
}

type AnyGatewayHandler = (input: GatewayInput, ctx: GatewayContext) => Promise<GatewayAnswer>;

interface Entry {
  op: OperationSpec;
  handler: AnyGatewayHandler;
}

export interface OwnMatch {
  /** The operations at this path, by method. */
  byMethod: ReadonlyMap<string, Entry>;
  /** The `Allow` header for this path. */
  allow: string;
  params: Record<string, string>;
}

interface PathEntry {
  byMethod: Map<string, Entry>;
  allow: string;
}

export interface OwnOperations {
  /** The gateway operations at `path` (a path no proxied route claims), or null. */
  match(path: string): OwnMatch | null;
}

const NO_PARAMS: Record<string, string> = Object.freeze({}) as Record<string, string>;

export function createOwnOperations(handlers: GatewayHandlers<GatewayContext>): OwnOperations {
  const paths = new Map<string, PathEntry>();
  for (const id of gatewayOperationIds) {
    const op: OperationSpec = operations[id];
    // Routes are looked up first: an own operation under a proxied prefix would never be reached.
    if (resolveRoute(op.path)) throw new Error(`${id} (${op.path}) is under a proxied route prefix; the gateway would forward it`);
    let at = paths.get(op.path);
    if (!at) paths.set(op.path, (at = { byMethod: new Map(), allow: '' }));
    // One cast, here: the table entry and the handler share the operation id, so the input the
    // gateway builds (the path's parameters, the request headers) is the handler's input type.
    at.byMethod.set(op.method, { op, handler: handlers[id] as unknown as AnyGatewayHandler });
  }
  for (const at of paths.values()) {
    const methods = [...at.byMethod.keys()];
    if (at.byMethod.has('GET')) methods.splice(methods.indexOf('GET') + 1, 0, 'HEAD');
    at.allow = methods.join(', ');
  }

  const exact = new Map<string, PathEntry>();
  const templated: { pattern: RegExp; names: string[]; at: PathEntry }[] = [];
  for (const [path, at] of paths) {
    const { pattern, names } = pathTemplate(path);
    if (names.length === 0) exact.set(path, at);
    else templated.push({ pattern, names, at });
  }

  return {
    match(path) {
      const at = exact.get(path);
      if (at) return { byMethod: at.byMethod, allow: at.allow, params: NO_PARAMS };
      for (const t of templated) {
        const m = t.pattern.exec(path);
        if (!m) continue;
        const params: Record<string, string> = {};
        t.names.forEach((name, i) => (params[name] = m[i + 1]));
        return { byMethod: t.at.byMethod, allow: t.at.allow, params };
      }
      return null;
    },
  };
}

/** Writes a handler's answer; returns the body size. A HEAD gets the headers only. */
export function sendAnswer(res: ServerResponse, op: OperationSpec, answer: GatewayAnswer, base: OutgoingHttpHeaders, head: boolean): number {
  if (op.kind === 'json') return sendJson(res, answer.status, answer.body, { ...base, ...answer.headers });
  const headers: OutgoingHttpHeaders = { ...base };
  if (answer.contentType) headers['content-type'] = answer.contentType;
  Object.assign(headers, answer.headers);
  const body = answer.body === null || answer.body === undefined ? null : typeof answer.body === 'string' ? Buffer.from(answer.body) : (answer.body as Buffer);
  if (body && headers['content-length'] === undefined) headers['content-length'] = body.length;
  res.writeHead(answer.status, headers);
  res.end(head || !body ? undefined : body);
  return head || !body ? 0 : body.length;
}

/** Serves one of the gateway's own operations: not an API call (no history row), answered here. */
export async function serveOwn(
  req: IncomingMessage,
  res: ServerResponse,
  ex: Exchange,
  base: OutgoingHttpHeaders,
  match: OwnMatch,
  { finish, fail }: Pick<Finishing, 'finish' | 'fail'>,
): Promise<void> {
  ex.upstream = 'gateway';
  ex.skipHistory = true;
  const method = ex.method === 'HEAD' ? 'GET' : ex.method;
  const entry = match.byMethod.get(method);
  if (!entry) return fail(req, res, ex, new ApiError('E1002', `Method ${ex.method} not allowed`), { ...base, allow: match.allow });
  const ctx: GatewayContext = { traceId: ex.traceId, gatewayRequestId: ex.gatewayRequestId, method: ex.method === 'HEAD' ? 'HEAD' : 'GET' };
  let answer: GatewayAnswer;
  try {
    answer = await entry.handler({ params: match.params, query: {}, headers: req.headers, body: undefined }, ctx);
  } catch (err) {
    return fail(req, res, ex, err, base);
  }
  ex.status = answer.status;
  ex.responseSize = sendAnswer(res, entry.op, answer, base, ex.method === 'HEAD');
  finish(req, ex);
}
