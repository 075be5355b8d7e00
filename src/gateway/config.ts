import { join, resolve } from 'node:path';
import { type Env, int, jwtSecret, port, str, host } from '../shared/config/env';
import { BODY_LIMIT_BYTES, type BodyLimits } from '../shared/http/body-limits';

export interface GatewayConfig {
  /** Listening address (`GATEWAY_HOST`): the loopback unless opened. */
  host: string;
  port: number;
  /** Pending connections the kernel queues before accept (capped by net.core.somaxconn). */
  listenBacklog: number;
  /** Processes serving the port (node:cluster); 1 = no cluster. */
  workers: number;
  jwtSecret: string;
  upstreams: { aura: string[]; main: string[]; auth: string[] };
  corsAllowedOrigins: string[];
  databaseUrl?: string;
  pgliteDir: string;
  /** Upstream TCP connect limit (10 s: README, "Contract decisions worth knowing"). */
  connectTimeoutMs: number;
  /** Upstream silence limit, waiting for headers or between bytes of a stream (300 s: same place). */
  idleTimeoutMs: number;
  /** Slowloris bounds: all request headers within this… */
  headersTimeoutMs: number;
  /** …and the whole request (headers and body) within this. */
  requestTimeoutMs: number;
  maxHeaderBytes: number;
  /**
   * Request-body limits by the names of openapi.yaml's `x-body-limit` (`default`:
   * GATEWAY_MAX_BODY_BYTES; `upload`, RAG documents: GATEWAY_MAX_UPLOAD_BYTES).
   */
  bodyLimits: BodyLimits;
  /** How long a refused upstream instance is skipped before it is tried again. */
  upstreamRetryAfterMs: number;
  history: { batchSize: number; flushIntervalMs: number; maxBuffered: number };
  /** The built workbench (`index.html`, `assets/`), served at `/`. */
  webDir: string;
}

// From this file, not the cwd: `npm start` from a subfolder, or a service manager with another
// working directory, must still find the repository's build.
const DEFAULT_WEB_DIR = join(__dirname, '..', '..', 'web', 'dist');

const list = (v: string) =>
  v
    .split(',')
    .map((s) => s.trim().replace(/\/$/, ''))
    .filter(Boolean);

export function loadGatewayConfig(env: Env = process.env, warn?: (m: string) => void): GatewayConfig {
  const cfg: GatewayConfig = {
    host: host(env, 'GATEWAY_HOST'),
    port: port(env, 'GATEWAY_PORT', 8080),
    // Node's default of 511 drops SYNs when thousands of clients connect at once (each then
    // waits a second for its retransmit); the browsers of a whole office reconnecting their
    // streams after a deploy is such a burst.
    listenBacklog: int(env, 'GATEWAY_LISTEN_BACKLOG', 4096, 1),
    workers: int(env, 'GATEWAY_WORKERS', 1, 1),
    jwtSecret: jwtSecret(env, warn),
    upstreams: {
      aura: list(str(env, 'AURA_URL', 'http://127.0.0.1:9000')),
      main: list(str(env, 'MAIN_URL', 'http://127.0.0.1:8081')),
      auth: list(str(env, 'AUTH_URL', 'http://127.0.0.1:8001')),
    },
    corsAllowedOrigins: list(str(env, 'CORS_ALLOWED_ORIGINS', 'http://localhost:4200,http://localhost:3000')),
    pgliteDir: str(env, 'PGLITE_DATA_DIR', './data/pglite'),
    connectTimeoutMs: int(env, 'GATEWAY_CONNECT_TIMEOUT_MS', 10_000, 1),
    idleTimeoutMs: int(env, 'GATEWAY_IDLE_TIMEOUT_MS', 300_000, 1),
    headersTimeoutMs: int(env, 'GATEWAY_HEADERS_TIMEOUT_MS', 10_000, 1),
    requestTimeoutMs: int(env, 'GATEWAY_REQUEST_TIMEOUT_MS', 60_000, 1),
    maxHeaderBytes: int(env, 'GATEWAY_MAX_HEADER_BYTES', 16 * 1024, 1024),
    bodyLimits: {
      default: int(env, 'GATEWAY_MAX_BODY_BYTES', BODY_LIMIT_BYTES.default, 1),
      upload: int(env, 'GATEWAY_MAX_UPLOAD_BYTES', BODY_LIMIT_BYTES.upload, 1),
    },
    upstreamRetryAfterMs: int(env, 'GATEWAY_UPSTREAM_RETRY_AFTER_MS', 5_000, 0),
    history: {
      batchSize: int(env, 'GATEWAY_HISTORY_BATCH_SIZE', 500, 1),
      flushIntervalMs: int(env, 'GATEWAY_HISTORY_FLUSH_MS', 1_000, 1),
      maxBuffered: int(env, 'GATEWAY_HISTORY_MAX_BUFFERED', 50_000, 1),
    },
    webDir: resolve(str(env, 'GATEWAY_WEB_DIR', DEFAULT_WEB_DIR)),
  };
  if (env.DATABASE_URL) cfg.databaseUrl = env.DATABASE_URL;
  return cfg;
}
