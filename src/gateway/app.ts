import http, { type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { ErrorCode } from '../../generated/contract';
import { HEADERS } from '../../generated/contract';
import { errorEnvelope } from '../shared/envelope';
import { ok } from '../shared/envelope';
import { newId } from '../shared/ids';
import type { Logger } from '../shared/logger';
import type { GatewayConfig } from './config';
import { resolveRoute } from './routes';

export interface GatewayDeps {
  config: GatewayConfig;
  logger: Logger;
}

function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  if (res.headersSent) {
    res.destroy();
    return;
  }
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(text), ...headers });
  res.end(text);
}

function sendError(res: ServerResponse, status: number, code: ErrorCode, message: string, traceId: string): void {
  sendJson(res, status, errorEnvelope(code, message, null, traceId), { [HEADERS.TRACE_ID]: traceId });
}

/** The gateway: the only entry for browsers and other systems. Does not listen. */
export function createApp(deps: GatewayDeps): Server {
  const { config, logger } = deps;
  const agent = new http.Agent({ keepAlive: true, maxSockets: 256 });

  const handle = (req: IncomingMessage, res: ServerResponse) => {
    const traceId = newId('trace');
    const url = new URL(req.url ?? '/', 'http://gateway.invalid');
    if (url.pathname === '/health') {
      sendJson(res, 200, ok({ service: 'gateway', status: 'UP', checks: {} }, 'gateway is UP'));
      return;
    }
    const route = resolveRoute(url.pathname);
    if (!route) {
      sendError(res, 404, 'E1004', `No route for ${req.method} ${url.pathname}`, traceId);
      return;
    }
    const target = new URL(config.upstreams[route.upstream][0]);
    const headers = { ...req.headers, [HEADERS.TRACE_ID.toLowerCase()]: traceId, host: target.host };
    const upstreamReq = http.request(
      {
        agent,
        protocol: target.protocol,
        hostname: target.hostname,
        port: target.port,
        method: req.method,
        path: route.forwardPath + url.search,
        headers,
      },
      (upstreamRes) => {
        res.writeHead(upstreamRes.statusCode ?? 502, upstreamRes.headers);
        res.flushHeaders();
        upstreamRes.pipe(res);
      },
    );
    upstreamReq.on('error', (err) => {
      logger.warn({ err: err.message, upstream: route.upstream }, 'upstream failed');
      sendError(res, 502, 'E5000', `Upstream ${route.upstream} failed`, traceId);
    });
    res.on('close', () => upstreamReq.destroy());
    req.pipe(upstreamReq);
  };

  return http.createServer(handle);
}
