import http, { type IncomingMessage, type OutgoingHttpHeaders } from 'node:http';
import type { Instance, UpstreamPool } from './upstream-pool';

export type UpstreamFailure = 'refused' | 'timeout' | 'reset' | 'aborted';

export class UpstreamError extends Error {
  constructor(
    readonly kind: UpstreamFailure,
    message: string,
  ) {
    super(message);
    this.name = 'UpstreamError';
  }
}

export interface UpstreamCall {
  /** Resolves with the upstream's response (headers received), rejects with an UpstreamError. */
  response: Promise<IncomingMessage>;
  /** Cuts the upstream request at once (client went away, idle limit, …). */
  destroy(): void;
}

export interface CallOptions {
  method: string;
  path: string;
  headers: OutgoingHttpHeaders;
  body: Buffer | null;
  connectTimeoutMs: number;
  idleTimeoutMs: number;
  /** Per-attempt hook: a refused instance is reported here before the next one is tried. */
  onRefused?: (inst: Instance) => void;
}

// Methods Node does not send with chunked framing by default.
const BODYLESS_METHODS = new Set(['GET', 'HEAD', 'DELETE', 'OPTIONS', 'TRACE', 'CONNECT']);

// Errors that mean no byte reached the instance, so another instance may be tried.
const CONNECT_ERRORS = new Set(['ECONNREFUSED', 'EHOSTUNREACH', 'ENETUNREACH', 'ENOTFOUND', 'EAI_AGAIN', 'CONNECT_TIMEOUT']);

/**
 * Sends one request upstream. The body is already read in full, so a request that never
 * reached an instance (refused, connect timeout) is safely sent to the next one; a reused
 * keep-alive socket that the upstream had just closed is retried once (Node's documented
 * race). After the headers arrive the idle limit keeps applying to the streamed body.
 */
export function callUpstream(pool: UpstreamPool, opts: CallOptions): UpstreamCall {
  let current: http.ClientRequest | null = null;
  let destroyed = false;
  const order = pool.order();

  // Name/value pairs, written as they are: an object would go through setHeader one by one.
  // Host (per instance) goes in slot 1.
  const headers: string[] = ['host', ''];
  for (const name in opts.headers) {
    const v = opts.headers[name];
    if (v === undefined || name === 'host') continue;
    if (Array.isArray(v)) for (const x of v) headers.push(name, x);
    else headers.push(name, String(v));
  }
  // A bodyless request whose method Node frames as chunked by default gets the explicit
  // length Node would give it had the headers been an object.
  if (!opts.body && !BODYLESS_METHODS.has(opts.method) && opts.headers['content-length'] === undefined) {
    headers.push('content-length', '0');
  }

  const response = new Promise<IncomingMessage>((resolve, reject) => {
    // Method shorthand rather than a named arrow: under tsx (esbuild keepNames) a named
    // per-request closure costs an Object.defineProperty call.
    const run = {
      attempt(i: number, retriedReset: boolean): void {
        const inst = order[i];
        headers[1] = inst.host;
        const req = http.request({
          agent: inst.agent,
          hostname: inst.url.hostname,
          port: inst.url.port || 80,
          method: opts.method,
          path: opts.path,
          headers,
        });
        current = req;
        let connectTimer: NodeJS.Timeout | null = null;
        let gotResponse = false;

        req.on('socket', (socket) => {
          socket.setNoDelay(true);
          if ((socket as { connecting?: boolean }).connecting) {
            connectTimer = setTimeout(() => {
              const err = new Error('connect timeout') as NodeJS.ErrnoException;
              err.code = 'CONNECT_TIMEOUT';
              req.destroy(err);
            }, opts.connectTimeoutMs);
            socket.once('connect', () => {
              if (connectTimer) clearTimeout(connectTimer);
            });
          }
        });
        req.setTimeout(opts.idleTimeoutMs, () => req.destroy(new UpstreamError('timeout', 'upstream idle timeout')));
        req.on('response', (res) => {
          gotResponse = true;
          pool.markUp(inst);
          resolve(res);
        });
        req.on('error', (err: NodeJS.ErrnoException) => {
          if (connectTimer) clearTimeout(connectTimer);
          if (gotResponse) return; // the response stream reports it
          if (destroyed) return reject(new UpstreamError('aborted', 'client went away'));
          if (err instanceof UpstreamError) return reject(err);
          const code = err.code ?? '';
          if (CONNECT_ERRORS.has(code)) {
            pool.markDown(inst);
            opts.onRefused?.(inst);
            if (i + 1 < order.length) return run.attempt(i + 1, retriedReset);
            return reject(new UpstreamError(code === 'CONNECT_TIMEOUT' ? 'timeout' : 'refused', `${pool.name}: ${code}`));
          }
          if (code === 'ECONNRESET' && req.reusedSocket && !retriedReset) return run.attempt(i, true);
          reject(new UpstreamError('reset', `${pool.name}: ${code || err.message}`));
        });
        req.end(opts.body ?? undefined);
      },
    };
    run.attempt(0, false);
  });
  // Rejections are handled by whoever awaits; this keeps an unawaited one from crashing.
  response.catch(() => undefined);

  return {
    response,
    destroy() {
      if (destroyed) return;
      destroyed = true;
      current?.destroy();
    },
  };
}
