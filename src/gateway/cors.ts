import type { IncomingHttpHeaders, OutgoingHttpHeaders } from 'node:http';
import { HEADERS } from '../../generated/contract';

// Hand-written rather than the `cors` package: a refused preflight must answer the error
// envelope, and the whole policy is these few headers.
export const CORS_ALLOWED_HEADERS = [
  HEADERS.AUTHORIZATION,
  'Content-Type',
  HEADERS.LAST_EVENT_ID,
  HEADERS.AGENT_ID,
  HEADERS.TENANT_ID,
  HEADERS.USER_ID,
  HEADERS.DWP_SOURCE,
  HEADERS.DWP_CALLER_TYPE,
  HEADERS.TRACE_ID,
];
export const CORS_EXPOSED_HEADERS = [HEADERS.TRACE_ID, HEADERS.GATEWAY_REQUEST_ID];
export const CORS_ALLOWED_METHODS = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'];
const MAX_AGE_SECONDS = 3600;

export type CorsDecision =
  | { kind: 'none' } // not a CORS request (no Origin)
  | { kind: 'preflight'; allowed: boolean; headers: OutgoingHttpHeaders }
  | { kind: 'actual'; headers: OutgoingHttpHeaders };

export interface Cors {
  decide(method: string, headers: IncomingHttpHeaders): CorsDecision;
}

export function createCors(allowedOrigins: readonly string[]): Cors {
  const any = allowedOrigins.includes('*');
  const allowed = new Set(allowedOrigins);
  const allowHeaders = CORS_ALLOWED_HEADERS.join(', ');
  const exposeHeaders = CORS_EXPOSED_HEADERS.join(', ');
  const allowMethods = CORS_ALLOWED_METHODS.join(', ');

  return {
    decide(method, headers) {
      const origin = headers.origin;
      if (typeof origin !== 'string' || origin === '') return { kind: 'none' };
      const ok = any || allowed.has(origin);
      const isPreflight = method === 'OPTIONS' && typeof headers['access-control-request-method'] === 'string';
      if (isPreflight) {
        if (!ok) return { kind: 'preflight', allowed: false, headers: { vary: 'Origin' } };
        return {
          kind: 'preflight',
          allowed: true,
          headers: {
            'access-control-allow-origin': origin,
            'access-control-allow-credentials': 'true',
            'access-control-allow-methods': allowMethods,
            'access-control-allow-headers': allowHeaders,
            'access-control-max-age': String(MAX_AGE_SECONDS),
            vary: 'Origin, Access-Control-Request-Method, Access-Control-Request-Headers',
          },
        };
      }
      // A request from another origin still goes through (the browser, not the gateway,
      // withholds the answer); it just gets no CORS headers.
      if (!ok) return { kind: 'actual', headers: { vary: 'Origin' } };
      return {
        kind: 'actual',
        headers: {
          'access-control-allow-origin': origin,
          'access-control-allow-credentials': 'true',
          'access-control-expose-headers': exposeHeaders,
          vary: 'Origin',
        },
      };
    },
  };
}
