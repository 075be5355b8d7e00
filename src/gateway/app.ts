import http, { type IncomingMessage, type OutgoingHttpHeaders, type Server, type ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import { performance } from 'node:perf_hooks';
import type { GatewayHandlers } from '../../generated/server/operations';
import { ApiError, isApiError } from '../shared/errors';
import { isIdentifier, newId } from '../shared/ids';
import type { Logger } from '../shared/logger';
import { createAuthFilter, type Principal } from './auth-filter';
import type { GatewayConfig } from './config';
import { createCors } from './cors';
import { checkRawHeaders, contractHeaders, H, traceIdFrom, upstreamRequestHeaders } from './headers';
import type { GatewayContext } from './context';
import { createDocs, type DocsOptions } from './docs';
import { makeApiDocs } from './handlers/ApiDocs';
import { makeApiDocsAsset } from './handlers/ApiDocsAsset';
import { makeApiDocsOpenApi } from './handlers/ApiDocsOpenApi';
import { makeAsyncApiDocs } from './handlers/AsyncApiDocs';
import { makeAsyncApiDocsAsset } from './handlers/AsyncApiDocsAsset';
import { makeGatewayHealth } from './handlers/GatewayHealth';
import { makeGatewayMetrics } from './handlers/GatewayMetrics';
import { makeWorkbenchAsset } from './handlers/WorkbenchAsset';
import { makeWorkbenchIndex } from './handlers/WorkbenchIndex';
import { makeWorkbenchIndexHtml } from './handlers/WorkbenchIndexHtml';
import { CLIENT_CLOSED_STATUS, errorCodeFor, type HistoryRow, type HistorySink, nullHistorySink } from './history';
import { createMetrics, type GatewayMetrics } from './metrics';
import { checkRequestTarget } from './path';
import { type Relay, relayResponse } from './relay';
import { createOwnOperations, type GatewayAnswer, type OwnMatch, sendAnswer } from './own-operations';
import { sendError, writeRawError } from './respond';
import { isInternal, isPublic, isUpload, resolveRoute, type Upstream } from './routes';
import { callUpstream, type UpstreamCall } from './upstream-call';
import { UpstreamPool } from './upstream-pool';
import { createWorkbench } from './workbench';

export interface GatewayDeps {
  config: GatewayConfig;
  logger: Logger;
  /** Where API call history goes; none → not recorded. */
  history?: HistorySink;
  /** Pass one to share it with the history sink's counters. */
  metrics?: GatewayMetrics;
  /** The text /metrics answers; default this process's registry (cluster workers: all workers'). */
  metricsText?: () => Promise<string>;
  /** Where the docs come from (default: this repository's openapi.yaml, generated/docs/asyncapi, node_modules). */
  docs?: DocsOptions;
}

const METHODS = new Set(['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS']);

/** Per-request facts the history row and the metrics are built from. */
interface Exchange {
  start: number;
  method: string;
  path: string;
  query: string;
  traceId: string;
  gatewayRequestId: string;
  upstream: Upstream | 'gateway' | 'none';
  principal?: Principal;
  source?: string;
  agentId?: string;
  requestSize: number;
  responseSize: number;
  sse: boolean;
  status: number;
  /** Own operations (health, metrics, docs, the workbench) are not API calls and leave no history. */
  skipHistory?: boolean;
}

/** The gateway: the only entry for browsers and other systems. Does not listen. */
export function createApp(deps: GatewayDeps): Server {
  const { config, logger } = deps;
  const history = deps.history ?? nullHistorySink;
  const metrics = deps.metrics ?? createMetrics();
  metrics.watchHistory(() => history.buffered());
  const metricsText = deps.metricsText ?? (() => metrics.registry.metrics());
  const cors = createCors(config.corsAllowedOrigins);
  const auth = createAuthFilter({ secret: config.jwtSecret });
  const workbench = createWorkbench(config.webDir, { warn: (msg) => logger.warn(msg) });
  const docs = createDocs({ warn: (msg) => logger.warn(msg), ...deps.docs });
  const pools: Record<Upstream, UpstreamPool> = {
    aura: new UpstreamPool('aura', config.upstreams.aura, config.upstreamRetryAfterMs, Date.now, config),
    main: new UpstreamPool('main', config.upstreams.main, config.upstreamRetryAfterMs, Date.now, config),
    auth: new UpstreamPool('auth', config.upstreams.auth, config.upstreamRetryAfterMs, Date.now, config),
  };

  // Every gateway operation of the contract; a missing one is a compile error.
  const handlers: GatewayHandlers<GatewayContext> = {
    GatewayHealth: makeGatewayHealth({ pools, history }),
    GatewayMetrics: makeGatewayMetrics({ metricsText, contentType: metrics.registry.contentType, logger }),
    ApiDocs: makeApiDocs({ docs }),
    ApiDocsOpenApi: makeApiDocsOpenApi({ docs }),
    ApiDocsAsset: makeApiDocsAsset({ docs }),
    AsyncApiDocs: makeAsyncApiDocs({ docs }),
    AsyncApiDocsAsset: makeAsyncApiDocsAsset({ docs }),
    WorkbenchIndex: makeWorkbenchIndex({ workbench }),
    WorkbenchIndexHtml: makeWorkbenchIndexHtml({ workbench }),
    WorkbenchAsset: makeWorkbenchAsset({ workbench }),
  };
  const own = createOwnOperations(handlers);

  // Labelled children, looked up once per label set: prom-client hashes the label object on
  // every inc/observe otherwise. Bounded: Node's parser accepts a fixed set of methods.
  const requestCounters = new Map<string, { inc(): void }>();
  const latencyHistograms = new Map<string, { observe(v: number): void }>();
  const openStreamGauges = new Map<string, { inc(): void; dec(): void }>();
  function openStreams(upstream: Upstream) {
    let g = openStreamGauges.get(upstream);
    if (!g) openStreamGauges.set(upstream, (g = metrics.openStreams.labels(upstream)));
    return g;
  }

  function finish(req: IncomingMessage, ex: Exchange): void {
    const latencyMs = performance.now() - ex.start;
    const status = String(ex.status);
    const rk = `${ex.upstream} ${ex.method} ${status}`;
    let counter = requestCounters.get(rk);
    if (!counter) requestCounters.set(rk, (counter = metrics.requests.labels(ex.upstream, ex.method, status)));
    counter.inc();
    const kind = ex.sse ? 'sse' : 'http';
    const lk = `${ex.upstream} ${kind}`;
    let histogram = latencyHistograms.get(lk);
    if (!histogram) latencyHistograms.set(lk, (histogram = metrics.latency.labels(ex.upstream, kind)));
    histogram.observe(latencyMs / 1000);
    if (ex.skipHistory) return;
    // Never invent a tenant: the verified one, else the header when it is a clean identifier.
    const tenantHeader = req.headers[H.tenant];
    const tenant = ex.principal?.tenantId ?? (isIdentifier(tenantHeader) ? tenantHeader : null);
    const userHeader = req.headers[H.user];
    const ua = req.headers['user-agent'];
    const row: HistoryRow = {
      tenant_id: tenant,
      user_id: ex.principal?.userId ?? (isIdentifier(userHeader) ? userHeader : null),
      agent_id: ex.agentId ?? null,
      source: ex.source ?? null,
      method: ex.method,
      path: ex.path,
      // SSE: one summary row, without query and sizes (brief, section 7).
      query_string: ex.sse || ex.query === '' ? null : ex.query,
      status_code: ex.status,
      latency_ms: Math.round(latencyMs),
      request_size: ex.sse ? null : ex.requestSize,
      response_size: ex.sse ? null : ex.responseSize,
      ip: req.socket.remoteAddress ?? null,
      user_agent: typeof ua === 'string' ? ua.slice(0, 512) : null,
      trace_id: ex.traceId,
      error_code: errorCodeFor(ex.status),
    };
    history.record(row);
  }

  function fail(req: IncomingMessage, res: ServerResponse, ex: Exchange, err: unknown, headers: OutgoingHttpHeaders): void {
    let apiErr: ApiError;
    if (isApiError(err)) apiErr = err;
    else {
      logger.error({ err, traceId: ex.traceId }, 'gateway error');
      apiErr = new ApiError('E1000');
    }
    const extra: OutgoingHttpHeaders = { ...headers };
    // After a refused body the connection's framing is unknown; do not reuse it.
    if (apiErr.status === 413) extra.connection = 'close';
    ex.status = apiErr.status;
    ex.responseSize = sendError(res, apiErr.code, {
      status: apiErr.status,
      message: apiErr.message,
      data: apiErr.data,
      traceId: ex.traceId,
      headers: extra,
    });
    finish(req, ex);
  }

  /** One of the gateway's own operations: not an API call (no history row), answered here. */
  async function serveOwn(req: IncomingMessage, res: ServerResponse, ex: Exchange, base: OutgoingHttpHeaders, match: OwnMatch): Promise<void> {
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

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const gatewayRequestId = newId('gw');
    const traceId = traceIdFrom(req.headers, () => newId('trace'));
    const method = req.method ?? 'GET';
    const ex: Exchange = {
      start: performance.now(),
      method,
      path: '',
      query: '',
      traceId,
      gatewayRequestId,
      upstream: 'none',
      requestSize: 0,
      responseSize: 0,
      sse: false,
      status: 0,
    };
    const base: OutgoingHttpHeaders = { [H.trace]: traceId, [H.gatewayRequestId]: gatewayRequestId };

    const target = checkRequestTarget(req.url);
    ex.path = target.ok ? target.path : (req.url ?? '').split('?')[0].slice(0, 1024);
    if (!target.ok) return fail(req, res, ex, new ApiError('E1001', `Bad request target: ${target.reason}`), base);
    ex.query = target.query;
    try {
      checkRawHeaders(req.rawHeaders);
    } catch (err) {
      return fail(req, res, ex, err, base);
    }

    const decision = cors.decide(method, req.headers);
    if (decision.kind !== 'none') Object.assign(base, decision.headers);
    if (decision.kind === 'preflight') {
      ex.skipHistory = true;
      if (!decision.allowed) return fail(req, res, ex, new ApiError('E1003', 'Origin not allowed'), base);
      res.writeHead(204, base);
      res.end();
      ex.status = 204;
      return finish(req, ex);
    }
    if (!METHODS.has(method)) return fail(req, res, ex, new ApiError('E1002', `Method ${method} not allowed`), base);

    const route = resolveRoute(ex.path);
    if (!route) {
      // After the API routes, so the gateway's own operations cost proxied calls nothing.
      const match = own.match(ex.path);
      if (match) return serveOwn(req, res, ex, base, match);
    }
    // Service-to-service operations are answered exactly like a path the gateway does not know.
    if (!route || isInternal(method, ex.path)) return fail(req, res, ex, new ApiError('E1004', `No route for ${method} ${ex.path}`), base);
    ex.upstream = route.upstream;

    let body: Buffer | null | undefined;
    let callerType = '';
    try {
      if (!isPublic(method, ex.path)) ex.principal = auth.authenticate(req.headers);
      const contract = contractHeaders(req.headers);
      ex.source = contract.source;
      ex.agentId = contract.agentId;
      callerType = contract.callerType;
      body = await readBody(req, isUpload(ex.path) ? config.maxUploadBytes : config.maxBodyBytes);
    } catch (err) {
      return fail(req, res, ex, err, base);
    }
    if (body === undefined) {
      // The client went away while sending its body; nothing was forwarded.
      ex.status = CLIENT_CLOSED_STATUS;
      return finish(req, ex);
    }
    ex.requestSize = body?.length ?? 0;

    const headers = upstreamRequestHeaders(req.headers, {
      upstreamHost: '',
      clientIp: req.socket.remoteAddress,
      source: ex.source,
      callerType,
      traceId,
      gatewayRequestId,
      userId: ex.principal?.userId,
      bodyLength: ex.requestSize,
    });
    const pool = pools[route.upstream];
    // Method shorthand, not named arrows: see Relay (tsx keepNames cost per closure). One
    // close listener for the whole exchange: the client's departure cuts the upstream request
    // before the answer, and ends the relay after (a failure can be reported synchronously, so
    // the listener exists before the call).
    let call: UpstreamCall | null = null;
    let relay: Relay | null = null;
    const exchange = {
      onClose() {
        if (relay) relay.onClientClose();
        else call?.destroy();
      },
    };
    res.on('close', exchange.onClose);
    call = callUpstream(
      pool,
      {
        method,
        path: route.forwardPath + (ex.query ? `?${ex.query}` : ''),
        headers,
        body,
        onRefused() {
          metrics.upstreamErrors.inc({ upstream: route.upstream, kind: 'refused' });
        },
      },
      {
        onResponse(upstreamRes) {
          relay = relayResponse(upstreamRes, res, base, {
            onStreamStart() {
              ex.sse = true;
              openStreams(route.upstream).inc();
            },
            cutUpstream() {
              call?.destroy();
            },
            onEnd(outcome, bytes) {
              if (ex.sse) openStreams(route.upstream).dec();
              ex.responseSize = bytes;
              ex.status = upstreamRes.statusCode || 502;
              if (outcome === 'client-closed') ex.status = CLIENT_CLOSED_STATUS;
              else if (outcome === 'upstream-broke') {
                metrics.upstreamErrors.inc({ upstream: route.upstream, kind: 'broken' });
                // The client already has a 2xx; the row records what happened to the exchange.
                ex.status = 502;
              }
              finish(req, ex);
            },
          });
          return relay;
        },
        onFailure(err) {
          const kind = err.kind;
          if (kind === 'aborted' || res.destroyed) {
            ex.status = CLIENT_CLOSED_STATUS;
            return finish(req, ex);
          }
          if (kind !== 'refused') metrics.upstreamErrors.inc({ upstream: route.upstream, kind });
          logger.warn({ upstream: route.upstream, kind, err: err.message, traceId }, 'upstream failed');
          if (kind === 'timeout') return fail(req, res, ex, new ApiError('E5001', `Upstream ${route.upstream} timed out`), base);
          return fail(req, res, ex, new ApiError('E5000', `Upstream ${route.upstream} failed`), base);
        },
      },
    );
  }

  const server = http.createServer(
    {
      maxHeaderSize: config.maxHeaderBytes,
      headersTimeout: config.headersTimeoutMs,
      requestTimeout: config.requestTimeoutMs,
      // Node checks the two timeouts above on this interval (default 30 s, which would let a
      // slowloris client linger far past a small limit).
      connectionsCheckingInterval: Math.min(1000, config.headersTimeoutMs),
      noDelay: true,
    },
    (req, res) => {
      handle(req, res).catch((err) => {
        logger.error({ err }, 'unhandled gateway error');
        if (!res.headersSent) sendError(res, 'E1000', { traceId: newId('trace') });
        else res.destroy();
      });
    },
  );

  // Requests the parser refused (oversized or malformed headers, CR/LF, timeouts) never reach
  // `handle`; they still get the envelope when the socket can take it, then the connection closes.
  server.on('clientError', (err: NodeJS.ErrnoException, socket: Socket) => {
    const code = err.code ?? '';
    const inFlight = (socket as Socket & { _httpMessage?: { headersSent?: boolean } })._httpMessage;
    if (code === 'ECONNRESET' || code === 'EPIPE' || !socket.writable || inFlight?.headersSent) {
      socket.destroy();
      return;
    }
    metrics.requests.inc({ upstream: 'none', method: 'unknown', status: 'client-error' });
    const traceId = newId('trace');
    if (code === 'HPE_HEADER_OVERFLOW') writeRawError(socket, 431, 'E1001', 'Request headers too large', traceId);
    else if (code === 'ERR_HTTP_REQUEST_TIMEOUT') writeRawError(socket, 408, 'E1001', 'Request not received in time', traceId);
    else writeRawError(socket, 400, 'E1001', 'Malformed request', traceId);
  });

  server.on('close', () => {
    for (const p of Object.values(pools)) p.destroy();
  });
  return server;
}

/**
 * Reads the request body in full, up to `limit` bytes (413 beyond it, before anything is
 * forwarded). Resolves null for no body, undefined when the client went away.
 */
function readBody(req: IncomingMessage, limit: number): Promise<Buffer | null | undefined> {
  const declared = req.headers['content-length'];
  if (declared === undefined && req.headers['transfer-encoding'] === undefined) return Promise.resolve(null);
  if (declared !== undefined && Number(declared) > limit) {
    return Promise.reject(new ApiError('E1001', `Body larger than ${limit} bytes`, null, 413));
  }
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let settled = false;
    req.on('data', (chunk: Buffer) => {
      if (settled) return;
      size += chunk.length;
      if (size > limit) {
        settled = true;
        // Stop buffering; the 413 answer closes the connection.
        req.pause();
        reject(new ApiError('E1001', `Body larger than ${limit} bytes`, null, 413));
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => {
      if (settled) return;
      settled = true;
      resolve(size === 0 ? null : Buffer.concat(chunks, size));
    });
    req.on('close', () => {
      if (settled) return;
      settled = true;
      resolve(undefined);
    });
    req.on('error', () => {
      if (settled) return;
      settled = true;
      resolve(undefined);
    });
  });
}
