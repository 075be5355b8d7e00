import Fastify, { type FastifyBaseLogger, type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify';
import sjson from 'secure-json-parse';
import type { IncomingHttpHeaders } from 'node:http';
import { operations, type OperationSpec, type Service } from '../../../generated/server/operations';
import { HEADERS } from '../../../generated/contract';
import { ApiError, type FieldError } from '../errors';
import { errorEnvelope } from '../envelope';
import { isIdentifier, newId } from '../ids';
import type { Logger } from '../logger';
import { authenticate as defaultAuthenticate, type AuthContext } from '../auth/authenticate';
import { isServiceCaller } from '../auth/service-token';
import { toFieldErrors } from './field-errors';
import { SseStream } from './sse';

declare module 'fastify' {
  interface FastifyRequest {
    traceId: string;
  }
}

export interface RequestContext {
  operationId: string;
  /** The verified caller; null only on public operations. */
  auth: AuthContext | null;
  traceId: string;
  log: Logger;
  request: FastifyRequest;
  reply: FastifyReply;
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
  /** Body size limit in bytes (default 1 MiB); per-operation overrides below. */
  bodyLimit?: number;
  bodyLimits?: Partial<Record<string, number>>;
  sseHeartbeatMs?: number;
  /** Replace JWT authentication (tests of public paths only). */
  authenticate?: (headers: IncomingHttpHeaders) => AuthContext;
}

type AnyHandler = (input: unknown, ctx: RequestContext) => Promise<unknown>;

function fastifyPath(servicePath: string): string {
  return servicePath.replace(/\{([A-Za-z0-9_]+)\}/g, ':$1');
}

function pathRegex(servicePath: string): RegExp {
  return new RegExp(`^${servicePath.replace(/[.*+?^$()|[\]\\]/g, '\\$&').replace(/\\?\{[A-Za-z0-9_]+\\?\}/g, '[^/]+')}$`);
}

function traceIdOf(headers: IncomingHttpHeaders): string {
  const t = headers[HEADERS.TRACE_ID.toLowerCase()];
  return isIdentifier(t) ? t : newId('trace');
}

function sendError(reply: FastifyReply, err: ApiError, traceId: string): void {
  if (reply.sent || reply.raw.headersSent) return;
  reply
    .code(err.status)
    .header('content-type', 'application/json; charset=utf-8')
    .header(HEADERS.TRACE_ID, traceId)
    .send(errorEnvelope(err.code, err.message, err.data, traceId));
}

/**
 * Builds a service's HTTP app from the generated operation table: one route per operation the
 * service owns, each running tenant/JWT checks, then request validation (E4000 with per-field
 * errors), then the handler, then response validation. Does not listen.
 */
export function createServiceApp<H extends object>(opts: ServiceAppOptions<H>): FastifyInstance {
  const ops = (Object.values(operations) as OperationSpec[]).filter((o) => o.service === opts.service);
  const handlers = opts.handlers as Record<string, AnyHandler | undefined>;
  for (const op of ops) {
    // The generated interface already makes this a compile error; this catches plain JS callers.
    if (typeof handlers[op.operationId] !== 'function') throw new Error(`${opts.service}: no handler for ${op.operationId}`);
  }
  const authenticate = opts.authenticate ?? ((h: IncomingHttpHeaders) => defaultAuthenticate(h, opts.jwtSecret));
  const bodyLimit = opts.bodyLimit ?? 1024 * 1024;

  const app = Fastify({
    loggerInstance: opts.logger as unknown as FastifyBaseLogger,
    bodyLimit,
    // Identifiers are up to 128 chars; longer ones must reach validation and get an E4000.
    routerOptions: { maxParamLength: 2048 },
    requestTimeout: 30_000,
    return503OnClosing: true,
  });

  // JSON only: fastify's default text/plain parser would hand strings to handlers.
  app.removeContentTypeParser(['application/json', 'text/plain']);
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (_req, body, done) => {
    // An empty body with a JSON content type is "no body" (optional bodies, simple clients).
    if (body === '' || (typeof body === 'string' && body.trim() === '')) return done(null, undefined);
    try {
      done(null, sjson.parse(body as string, undefined, { protoAction: 'error', constructorAction: 'error' }));
    } catch {
      done(new ApiError('E1001', 'Malformed JSON body'), undefined);
    }
  });

  app.decorateRequest('traceId', '');
  app.addHook('onRequest', async (req, reply) => {
    const traceId = traceIdOf(req.headers);
    req.traceId = traceId;
    reply.header(HEADERS.TRACE_ID, traceId);
  });

  app.setErrorHandler((err: unknown, req, reply) => {
    const traceId = req.traceId || newId('trace');
    if (err instanceof ApiError) return sendError(reply, err, traceId);
    const e = err as { code?: string; statusCode?: number; message?: string };
    switch (e.code) {
      case 'FST_ERR_CTP_BODY_TOO_LARGE':
        return sendError(reply, new ApiError('E1001', 'Request body is too large', null, 413), traceId);
      case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
        return sendError(reply, new ApiError('E1001', 'Unsupported Content-Type; send application/json', null, 415), traceId);
      case 'FST_ERR_CTP_INVALID_CONTENT_LENGTH':
      case 'FST_ERR_CTP_EMPTY_JSON_BODY':
        return sendError(reply, new ApiError('E1001', e.message ?? 'Bad request'), traceId);
    }
    if (e.statusCode && e.statusCode >= 400 && e.statusCode < 500) {
      return sendError(reply, new ApiError('E1001', 'Bad request', null, e.statusCode), traceId);
    }
    req.log.error({ err }, 'unhandled error');
    return sendError(reply, new ApiError('E1000'), traceId);
  });

  const known = ops.map((o) => ({ re: pathRegex(o.servicePath), method: o.method }));
  app.setNotFoundHandler((req, reply) => {
    const traceId = req.traceId || newId('trace');
    const path = req.url.split('?')[0];
    const pathKnown = known.some((k) => k.re.test(path));
    if (pathKnown) return sendError(reply, new ApiError('E1002', `Method ${req.method} not allowed`), traceId);
    return sendError(reply, new ApiError('E1004', `No route for ${req.method} ${path}`), traceId);
  });

  for (const op of ops) {
    const handler = handlers[op.operationId]!;
    app.route({
      method: op.method,
      url: fastifyPath(op.servicePath),
      bodyLimit: opts.bodyLimits?.[op.operationId] ?? bodyLimit,
      handler: async (req, reply) => {
        const traceId = req.traceId;
        const auth = op.public ? null : authenticate(req.headers);
        // Checked in the service, not only at the gateway (which does not route these at all).
        if (op.audience === 'internal' && !isServiceCaller(auth)) {
          throw new ApiError('E1003', `${op.operationId} is a service-to-service operation: it takes a service credential, not a user token`);
        }
        if (op.roles && !(auth?.role && op.roles.includes(auth.role))) {
          throw new ApiError('E1003', `${op.operationId} is for the roles ${op.roles.join(', ')}; this token's role is ${auth?.role ?? 'none'}`, { rule: 'ROLE', roles: op.roles });
        }
        const input = validateInput(op, req);
        const abort = new AbortController();
        reply.raw.on('close', () => {
          if (!reply.raw.writableFinished) abort.abort();
        });
        let stream: SseStream<object> | undefined;
        const ctx: RequestContext = {
          operationId: op.operationId,
          auth,
          traceId,
          log: req.log.child({ op: op.operationId, traceId }) as unknown as Logger,
          request: req,
          reply,
          signal: abort.signal,
          openStream: <E extends object>(headers: Record<string, string> = {}) => {
            if (!stream) {
              reply.hijack();
              stream = new SseStream<E>(reply.raw, op.sseEvents ?? {}, { heartbeatMs: opts.sseHeartbeatMs ?? 15_000 });
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
          return reply;
        }

        const out = (await handler(input, ctx)) as { status: number; body: unknown; contentType?: string };
        const v = op.responses[out.status];
        if (v && !v(out.body)) {
          ctx.log.error({ errors: v.errors, status: out.status }, 'response does not match the contract');
          throw new ApiError('E1000', 'Response does not match the contract');
        }
        reply.code(out.status);
        if (op.kind === 'text') reply.header('content-type', out.contentType ?? 'text/plain; charset=utf-8');
        return reply.send(out.body);
      },
    });
  }
  return app;
}

function validateInput(op: OperationSpec, req: FastifyRequest): unknown {
  const errors: FieldError[] = [];
  const params = { ...(req.params as Record<string, string>) };
  const query = { ...(req.query as Record<string, unknown>) };
  const headers = { ...req.headers } as Record<string, unknown>;
  if (op.validate.params && !op.validate.params(params)) errors.push(...toFieldErrors('params', op.validate.params.errors));
  if (op.validate.query && !op.validate.query(query)) errors.push(...toFieldErrors('query', op.validate.query.errors));
  if (!op.validate.headers(headers)) errors.push(...toFieldErrors('headers', op.validate.headers.errors));
  const body = req.body;
  if (body === undefined || body === null) {
    if (op.bodyRequired) errors.push({ field: 'body', message: 'is required', keyword: 'required' });
  } else if (op.validate.body) {
    if (!op.validate.body(body)) errors.push(...toFieldErrors('body', op.validate.body.errors));
  } else if (req.method !== 'GET') {
    errors.push({ field: 'body', message: 'is not allowed', keyword: 'additionalProperties' });
  }
  if (errors.length) throw ApiError.validation(errors);
  return { params, query, headers, body: body ?? undefined };
}
