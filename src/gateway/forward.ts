// The upstream leg of a proxied exchange: the request as the service receives it, the call
// on a pooled connection, and the answer relayed back, each outcome finishing the exchange.
import type { IncomingMessage, OutgoingHttpHeaders, ServerResponse } from 'node:http';
import { ApiError } from '../shared/errors';
import type { Logger } from '../shared/logger';
import type { Exchange, Finishing } from './exchange';
import { upstreamRequestHeaders } from './headers';
import { CLIENT_CLOSED_STATUS } from './history';
import type { GatewayMetrics } from './metrics';
import { type Relay, relayResponse } from './relay';
import type { Route, Upstream } from './routes';
import { callUpstream, type UpstreamCall } from './upstream-call';
import type { UpstreamPool } from './upstream-pool';

export interface ForwardDeps extends Finishing {
  pools: Record<Upstream, UpstreamPool>;
  metrics: GatewayMetrics;
  logger: Logger;
}

/** Forwards a checked, authenticated request with its read body to its route's upstream. */
export type Forward = (req: IncomingMessage, res: ServerResponse, ex: Exchange, base: OutgoingHttpHeaders, route: Route, body: Buffer | null, callerType: string) => void;

export function createForward(deps: ForwardDeps): Forward {
  const { pools, metrics, logger, finish, fail, openStreams } = deps;
  return function forward(req, res, ex, base, route, body, callerType) {
    const { traceId } = ex;
    const headers = upstreamRequestHeaders(req.headers, {
      upstreamHost: '',
      clientIp: req.socket.remoteAddress,
      source: ex.source!,
      callerType,
      traceId,
      gatewayRequestId: ex.gatewayRequestId,
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
        method: ex.method,
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
  };
}
