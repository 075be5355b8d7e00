import http, { type IncomingMessage, type OutgoingHttpHeaders, type Server, type ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import type { GatewayHandlers } from '../../generated/server/operations';
import { ApiError } from '../shared/errors';
import { newId } from '../shared/ids';
import type { Logger } from '../shared/logger';
import { createAuthFilter } from './auth-filter';
import type { GatewayConfig } from './config';
import type { GatewayContext } from './context';
import { createCors } from './cors';
import { createDocs, type DocsOptions } from './docs';
import { createFinishing, startExchange } from './exchange';
import { createForward } from './forward';
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
import { checkRawHeaders, contractHeaders, H, traceIdFrom } from './headers';
import { CLIENT_CLOSED_STATUS, type HistorySink, nullHistorySink } from './history';
import { createMetrics, type GatewayMetrics } from './metrics';
import { createOwnOperations, serveOwn } from './own-operations';
import { checkRequestTarget } from './path';
import { readBody } from './request-body';
import { answerClientError, sendError } from './respond';
import { bodyLimitOf, isInternal, isPublic, resolveRoute, type Upstream } from './routes';
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

/**
 * The gateway: the only entry for browsers and other systems. Does not listen. A request is
 * checked (target, headers, CORS, method), routed (openapi.yaml's `x-service`, see routes.ts),
 * authenticated, its body read (request-body.ts), then forwarded (forward.ts); a path no route
 * claims may be one of the gateway's own operations (handlers/). Every exchange ends in
 * exchange.ts: its metrics and its history row.
 */
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
  const finishing = createFinishing({ metrics, history, logger });
  const { finish, fail } = finishing;
  const forward = createForward({ ...finishing, pools, metrics, logger });

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const gatewayRequestId = newId('gw');
    const traceId = traceIdFrom(req.headers, () => newId('trace'));
    const method = req.method ?? 'GET';
    const ex = startExchange(method, traceId, gatewayRequestId);
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
      if (match) return serveOwn(req, res, ex, base, match, finishing);
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
      body = await readBody(req, config.bodyLimits[bodyLimitOf(ex.path)]);
    } catch (err) {
      return fail(req, res, ex, err, base);
    }
    if (body === undefined) {
      // The client went away while sending its body; nothing was forwarded.
      ex.status = CLIENT_CLOSED_STATUS;
      return finish(req, ex);
    }
    ex.requestSize = body?.length ?? 0;
    forward(req, res, ex, base, route, body, callerType);
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
  // `handle`; they still get the envelope when the socket can take it.
  server.on('clientError', (err: NodeJS.ErrnoException, socket: Socket) => {
    if (answerClientError(err, socket)) metrics.requests.inc({ upstream: 'none', method: 'unknown', status: 'client-error' });
  });

  server.on('close', () => {
    for (const p of Object.values(pools)) p.destroy();
  });
  return server;
}
