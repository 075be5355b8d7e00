// One exchange through the gateway, from the request's arrival to its answer: the facts kept
// on the way, and its finishing (the request metrics, then the API call history row).
import type { IncomingMessage, OutgoingHttpHeaders, ServerResponse } from 'node:http';
import { performance } from 'node:perf_hooks';
import { ApiError, isApiError } from '../shared/errors';
import { isIdentifier } from '../shared/ids';
import type { Logger } from '../shared/logger';
import type { Principal } from './auth-filter';
import { H } from './headers';
import { errorCodeFor, type HistoryRow, type HistorySink } from './history';
import type { GatewayMetrics } from './metrics';
import { sendError } from './respond';
import type { Upstream } from './routes';

/** Per-request facts the history row and the metrics are built from. */
export interface Exchange {
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

/** A new exchange, timed from now. */
export function startExchange(method: string, traceId: string, gatewayRequestId: string): Exchange {
  return {
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
}

export interface Finishing {
  /** Counts the answered exchange and records its history row (unless it leaves none). */
  finish(req: IncomingMessage, ex: Exchange): void;
  /** Answers with the error envelope for `err` (E1000 for anything not an ApiError), then finishes. */
  fail(req: IncomingMessage, res: ServerResponse, ex: Exchange, err: unknown, headers: OutgoingHttpHeaders): void;
  /** The open-streams gauge of an upstream. */
  openStreams(upstream: Upstream): { inc(): void; dec(): void };
}

export function createFinishing(deps: { metrics: GatewayMetrics; history: HistorySink; logger: Logger }): Finishing {
  const { metrics, history, logger } = deps;
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
      // SSE: one summary row, without query and sizes (README, "Contract decisions worth knowing").
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

  return { finish, fail, openStreams };
}
