import express, { type NextFunction, type Request, type Response } from 'express';
import http, { type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { type BodyLimit, operations as generatedOperations, type OperationSpec, type Service } from '../../../generated/server/operations';
import { HEADERS } from '../../../generated/contract';
import { ApiError } from '../errors';
import { errorEnvelope } from '../envelope';
import { isIdentifier, newId } from '../ids';
import type { Logger } from '../logger';
import { authenticate as defaultAuthenticate, type AuthContext } from '../auth/authenticate';
import { isServiceCaller } from '../auth/service-token';
import { bodyParserError, parseJsonBody, rawBody } from './body';
import { BODY_LIMIT_BYTES } from './body-limits';
import { DEFAULT_OPENAPI_PATH, loadServiceDocument, openapiValidator } from './openapi-runtime';
import { expressPath, pathTemplate } from './path-template';
import { SseStream } from './sse';
import { validatorError } from './validator-errors';

export interface RequestContext {
  operationId: string;
  /** The verified caller; null only on public operations. */
  auth: AuthContext | null;
  traceId: string;
  log: Logger;
  request: Request;
  response: Response;
  /** Aborted when the client goes away before the response is finished. */
  signal: AbortSignal;
  /** Opens the SSE response of a streaming operation (validates each event it sends). */
  openStream<E extends object = Record<string, unknown>>(headers?: Record<string, string>): SseStream<E>;
}

/** The caller of a protected operation (throws E2000 on a public one, which is a bug). */
export function caller(ctx: RequestContext): AuthContext {
  if (!ctx.auth) throw new ApiError('E2000');
  return ctx.auth;
}

export interface ServiceAppOptions<H> {
  service: Service;
  handlers: H;
  logger: Logger;
  jwtSecret: string;
  /** Body size limit in bytes (default 1 MiB). */
  bodyLimit?: number;
  /** Bytes of the named limits (an operation's `x-body-limit` in openapi.yaml); default BODY_LIMIT_BYTES. */
  bodyLimits?: Partial<Record<BodyLimit, number>>;
  sseHeartbeatMs?: number;
  /** Share of responses checked against openapi.yaml (default 1; production configs pass 0 or a sample). */
  responseValidation?: number;
  /** Replace JWT authentication (tests of public paths only). */
  authenticate?: (headers: IncomingHttpHeaders) => AuthContext;
  /** Slow-client bounds (defaults: 10 s for the headers, 30 s for the whole request). */
  timeouts?: { headersMs?: number; requestMs?: number };
  /** Another copy of the contract (tests of a changed spec): its operation table and its openapi.yaml. */
  contract?: { operations: Readonly<Record<string, OperationSpec>>; openapiPath: string };
}

/** A service's HTTP server: express behind a node:http server with the timeouts set. */
export interface ServiceApp {
  readonly server: Server;
  readonly express: express.Express;
  /** Listens and resolves with the base URL. */
  listen(opts: { port: number; host: string }): Promise<string>;
  /** Runs once the server listens (background start-up work). */
  onListen(fn: () => void): void;
  /** Runs first when closing: what would hold connections open (streams, followers) stops here. */
  onClose(fn: () => Promise<void> | void): void;
  close(): Promise<void>;
}

type AnyHandler = (input: unknown, ctx: RequestContext) => Promise<unknown>;

function traceIdOf(headers: IncomingHttpHeaders): string {
  const t = headers[HEADERS.TRACE_ID.toLowerCase()];
  return isIdentifier(t) ? t : newId('trace');
}

// Sent with end(), not json(): error answers must not pass through the response validator's
// hook (an undeclared 413 or 503 is still the right answer).
function sendError(res: Response, err: ApiError, traceId: string): void {
  if (res.headersSent) {
    if (!res.writableEnded) res.end();
    return;
  }
  res.writeHead(err.status, { 'content-type': 'application/json; charset=utf-8', [HEADERS.TRACE_ID]: traceId });
  res.end(JSON.stringify(errorEnvelope(err.code, err.message, err.data, traceId)));
}

function matcher(ops: OperationSpec[]): (method: string, path: string) => OperationSpec | undefined {
  const table = ops.map((op) => ({
    op,
    re: pathTemplate(op.servicePath).pattern,
  }));
  return (method, path) => table.find((t) => t.op.method === method && t.re.test(path))?.op;
}

/**
 * Builds a service's HTTP app from the contract: one express route per operation the service
 * owns. A request is read (body limit, JSON), authenticated (tenant, JWT, audience, roles), then
 * validated by express-openapi-validator against openapi.yaml (E4000 with per-field errors,
 * 404/405 for what the document does not have), then handled; responses are validated against
 * the document too, where configured. Does not listen.
 */
export function createServiceApp<H extends object>(opts: ServiceAppOptions<H>): ServiceApp {
  const table = opts.contract?.operations ?? generatedOperations;
  const ops = (Object.values(table) as OperationSpec[]).filter((o) => o.service === opts.service);
  const handlers = opts.handlers as Record<string, AnyHandler | undefined>;
  for (const op of ops) {
    // The generated interface already makes this a compile error; this catches plain JS callers.
    if (typeof handlers[op.operationId] !== 'function') throw new Error(`${opts.service}: no handler for ${op.operationId}`);
  }
  const authenticate = opts.authenticate ?? ((h: IncomingHttpHeaders) => defaultAuthenticate(h, opts.jwtSecret));
  const defaultLimit = opts.bodyLimit ?? BODY_LIMIT_BYTES.default;
  const limitOf = (op: OperationSpec | undefined) => {
    const named = op?.bodyLimit;
    return named ? (opts.bodyLimits?.[named] ?? BODY_LIMIT_BYTES[named]) : defaultLimit;
  };
  const readers = new Map<number, express.RequestHandler>();
  const reader = (limit: number) => readers.get(limit) ?? readers.set(limit, rawBody(limit)).get(limit)!;
  const find = matcher(ops);
  const apiDoc = loadServiceDocument(opts.contract?.openapiPath ?? DEFAULT_OPENAPI_PATH, opts.service, table);
  const log = opts.logger;
  let closing = false;

  const app = express();
  app.disable('x-powered-by');
  app.set('etag', false);
  // The contract has flat query parameters only; `a[b]=1` stays the literal name `a[b]`.
  app.set('query parser', 'simple');

  app.use((req, res, next) => {
    const traceId = traceIdOf(req.headers);
    res.locals.traceId = traceId;
    res.setHeader(HEADERS.TRACE_ID, traceId);
    if (closing) {
      res.setHeader('connection', 'close');
      return sendError(res, new ApiError('E1000', 'The service is shutting down', null, 503), traceId);
    }
    const op = find(req.method, req.path);
    res.locals.op = op;
    reader(limitOf(op))(req, res, (err?: unknown) => {
      if (err) return next(err);
      try {
        parseJsonBody(req, res);
        if (op) res.locals.auth = authorize(op, req);
        next();
      } catch (e) {
        next(e);
      }
    });
  });

  function authorize(op: OperationSpec, req: Request): AuthContext | null {
    const auth = op.public ? null : authenticate(req.headers);
    // Checked in the service, not only at the gateway (which does not route these at all).
    if (op.audience === 'internal' && !isServiceCaller(auth)) {
      throw new ApiError('E1003', `${op.operationId} is a service-to-service operation: it takes a service credential, not a user token`);
    }
    if (op.roles && !(auth?.role && op.roles.includes(auth.role))) {
      throw new ApiError('E1003', `${op.operationId} is for the roles ${op.roles.join(', ')}; this token's role is ${auth?.role ?? 'none'}`, { rule: 'ROLE', roles: op.roles });
    }
    return auth;
  }

  app.use(openapiValidator(apiDoc, { responseValidation: opts.responseValidation ?? 1 }));

  for (const op of ops) {
    const handler = handlers[op.operationId]!;
    const route = expressPath(op.servicePath);
    app[op.method.toLowerCase() as 'get' | 'post'](route, async (req: Request, res: Response, next: NextFunction) => {
      try {
        await runOperation(op, handler, req, res);
      } catch (err) {
        next(err);
      }
    });
  }

  async function runOperation(op: OperationSpec, handler: AnyHandler, req: Request, res: Response): Promise<void> {
    const traceId = res.locals.traceId as string;
    const input = { params: { ...req.params }, query: { ...(req.query as Record<string, unknown>) }, headers: req.headers, body: req.body ?? undefined };
    const abort = new AbortController();
    res.on('close', () => {
      if (!res.writableFinished) abort.abort();
    });
    let stream: SseStream<object> | undefined;
    const ctx: RequestContext = {
      operationId: op.operationId,
      auth: (res.locals.auth as AuthContext | null | undefined) ?? null,
      traceId,
      log: log.child({ op: op.operationId, traceId }) as unknown as Logger,
      request: req,
      response: res,
      signal: abort.signal,
      openStream: <E extends object>(headers: Record<string, string> = {}) => {
        if (!stream) {
          // Written straight to the socket: no compression, no buffering, each frame as it comes.
          req.socket.setNoDelay(true);
          stream = new SseStream<E>(res, op.sseEvents ?? {}, { heartbeatMs: opts.sseHeartbeatMs ?? 15_000 });
          stream.open({ [HEADERS.TRACE_ID]: traceId, ...headers });
        }
        return stream as SseStream<E>;
      },
    };

    if (op.kind === 'sse') {
      try {
        await handler(input, ctx);
      } catch (err) {
        if (!stream) throw err;
        ctx.log.error({ err }, 'stream handler failed after the stream opened');
      } finally {
        if (stream && !stream.closed) stream.end();
      }
      return;
    }

    const out = (await handler(input, ctx)) as { status: number; body: unknown; contentType?: string };
    res.status(out.status);
    if (op.kind === 'text') {
      res.setHeader('content-type', out.contentType ?? 'text/plain; charset=utf-8');
      res.send(out.body);
      return;
    }
    res.json(out.body);
  }

  // Error handlers take four arguments in express.
  app.use((err: unknown, req: Request, res: Response, _next: NextFunction) => {
    const traceId = (res.locals.traceId as string | undefined) ?? newId('trace');
    if (err instanceof ApiError) return sendError(res, err, traceId);
    const parsed = bodyParserError(err);
    if (parsed) return sendError(res, parsed, traceId);
    const mapped = validatorError(err, req.method, req.path);
    if (mapped) {
      if (mapped.internal) log.error({ err, errors: (err as { errors?: unknown }).errors, op: (res.locals.op as OperationSpec | undefined)?.operationId }, 'response does not match the contract');
      return sendError(res, mapped.api, traceId);
    }
    log.error({ err }, 'unhandled error');
    return sendError(res, new ApiError('E1000'), traceId);
  });

  const headersTimeout = opts.timeouts?.headersMs ?? 10_000;
  const server = http.createServer(
    {
      // A slow client cannot hold a request open for ever (408, then the socket closes).
      headersTimeout,
      requestTimeout: Math.max(headersTimeout, opts.timeouts?.requestMs ?? 30_000),
      // Node checks the two above on this period (default 30 s, longer than the bounds themselves).
      connectionsCheckingInterval: Math.min(1_000, headersTimeout),
      // Longer than the gateway's pooled upstream connections stay idle, so the gateway closes first.
      keepAliveTimeout: 72_000,
    },
    app,
  );

  const listenHooks: (() => void)[] = [];
  const closeHooks: (() => Promise<void> | void)[] = [];
  let closed: Promise<void> | undefined;
  return {
    server,
    express: app,
    onListen: (fn) => void listenHooks.push(fn),
    onClose: (fn) => void closeHooks.push(fn),
    listen: ({ port, host }) =>
      new Promise<string>((resolve, reject) => {
        server.once('error', reject);
        server.listen(port, host, () => {
          server.off('error', reject);
          for (const fn of listenHooks) fn();
          const a = server.address() as AddressInfo;
          const url = `http://${a.family === 'IPv6' ? `[${a.address}]` : a.address}:${a.port}`;
          // The line fastify wrote, which operators and test/aura/child-aura.ts look for.
          log.info(`Server listening at ${url}`);
          resolve(url);
        });
      }),
    close: () =>
      (closed ??= (async () => {
        closing = true;
        for (const fn of closeHooks) await fn();
        if (!server.listening) return;
        await new Promise<void>((resolve) => {
          server.close(() => resolve());
          server.closeIdleConnections();
          // Requests still running after the hooks get a moment to finish, then their sockets go.
          setTimeout(() => server.closeAllConnections(), 2_000).unref();
        });
      })()),
  };
}
