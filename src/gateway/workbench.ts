// The built web workbench, served by the gateway so the browser talks to one origin (no CORS,
// the token never crosses origins). The dist is small and immutable for the life of a process:
// it is read once into memory, and a request can only ever name a file found by that one read,
// so no request path is ever joined onto a directory.
import { createHash } from 'node:crypto';
import { type Dirent, readdirSync, readFileSync } from 'node:fs';
import type { IncomingHttpHeaders, OutgoingHttpHeaders } from 'node:http';
import { extname, join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { operations } from '../../generated/server/operations';
import { ApiError } from '../shared/errors';

const INDEX_PATHS = new Set<string>([operations.WorkbenchIndex.path, operations.WorkbenchIndexHtml.path]);
const ASSETS_PREFIX = operations.WorkbenchAsset.path.slice(0, operations.WorkbenchAsset.path.indexOf('{'));
const validAssetName = operations.WorkbenchAsset.validate.params;

/** Scripts, styles and API calls from this origin only; nothing may frame the workbench. */
export const WORKBENCH_CSP =
  "default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; connect-src 'self'; " +
  "frame-ancestors 'none'; base-uri 'none'; form-action 'self'";

// Vite names every asset after its content hash, so a name never changes meaning.
const IMMUTABLE = 'public, max-age=31536000, immutable';
// The index names the current hashes, so it must be revalidated on every load.
const REVALIDATE = 'no-cache';

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.woff2': 'font/woff2',
  '.txt': 'text/plain; charset=utf-8',
};
// PNG and WOFF2 are compressed already; gzip would only cost CPU.
const COMPRESSIBLE = new Set(['.html', '.js', '.mjs', '.css', '.svg', '.json', '.map', '.txt']);
const MIN_GZIP_BYTES = 1024;

// A missing dist is retried at most this often, so a client polling an unbuilt gateway does
// not turn into a disk read per request, while a build finished after start-up is picked up.
const RETRY_MS = 1000;

interface Variant {
  body: Buffer;
  etag: string;
  headers: OutgoingHttpHeaders;
}

interface StaticFile {
  identity: Variant;
  gzip: Variant | null;
}

interface Dist {
  index: StaticFile;
  assets: Map<string, StaticFile>;
}

export type WorkbenchAnswer =
  | { status: 200 | 304; headers: OutgoingHttpHeaders; body: Buffer | null }
  | { error: ApiError; headers?: OutgoingHttpHeaders };

/** Paths the workbench answers; checked only after the API routes missed. */
export function isWorkbenchPath(path: string): boolean {
  return INDEX_PATHS.has(path) || path.startsWith(ASSETS_PREFIX);
}

function etagOf(body: Buffer, suffix = ''): string {
  return `"${createHash('sha256').update(body).digest('base64url').slice(0, 27)}${suffix}"`;
}

function staticFile(body: Buffer, ext: string, cacheControl: string, extra: OutgoingHttpHeaders, gzSibling: Buffer | null): StaticFile {
  const common: OutgoingHttpHeaders = {
    'content-type': TYPES[ext] ?? 'application/octet-stream',
    'cache-control': cacheControl,
    'x-content-type-options': 'nosniff',
    ...extra,
  };
  let gz = gzSibling;
  if (!gz && COMPRESSIBLE.has(ext) && body.length >= MIN_GZIP_BYTES) {
    const packed = gzipSync(body);
    if (packed.length < body.length * 0.9) gz = packed;
  }
  // Caches must keep the two encodings apart once there are two.
  const vary: OutgoingHttpHeaders = gz ? { vary: 'Accept-Encoding' } : {};
  const identityEtag = etagOf(body);
  const identity: Variant = { body, etag: identityEtag, headers: { ...common, ...vary, etag: identityEtag, 'content-length': body.length } };
  if (!gz) return { identity, gzip: null };
  // A different representation needs a different strong validator (RFC 9110 §8.8.3).
  const gzEtag = etagOf(body, '-gz');
  return {
    identity,
    gzip: { body: gz, etag: gzEtag, headers: { ...common, ...vary, etag: gzEtag, 'content-encoding': 'gzip', 'content-length': gz.length } },
  };
}

function load(dir: string): Dist {
  const index = readFileSync(join(dir, 'index.html'));
  const assets = new Map<string, StaticFile>();
  let entries: Dirent[] = [];
  try {
    entries = readdirSync(join(dir, 'assets'), { withFileTypes: true });
  } catch (err) {
    // A page without assets is unusual but valid; anything but absence is a real problem.
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
  }
  // Dirent types come from lstat: symlinks and folders are not files here, so nothing
  // reachable through a link (possibly outside the dist) is ever loaded.
  const files = new Set(entries.filter((e) => e.isFile()).map((e) => e.name));
  for (const name of files) {
    if (name.endsWith('.gz') && files.has(name.slice(0, -3))) continue; // served as its sibling's encoding
    if (!validAssetName({ asset: name })) continue;
    const path = join(dir, 'assets', name);
    const sibling = files.has(`${name}.gz`) ? readFileSync(`${path}.gz`) : null;
    assets.set(name, staticFile(readFileSync(path), extname(name).toLowerCase(), IMMUTABLE, {}, sibling));
  }
  return { index: staticFile(index, '.html', REVALIDATE, { 'content-security-policy': WORKBENCH_CSP }, null), assets };
}

function acceptsGzip(header: string | string[] | undefined): boolean {
  if (!header) return false;
  let gzip: boolean | undefined;
  let any = false;
  for (const part of (Array.isArray(header) ? header.join(',') : header).split(',')) {
    const [coding, ...params] = part.split(';').map((s) => s.trim().toLowerCase());
    const q = params.find((p) => p.startsWith('q='));
    const wanted = q === undefined || Number(q.slice(2)) > 0;
    if (coding === 'gzip' || coding === 'x-gzip') gzip = wanted;
    else if (coding === '*') any = wanted;
  }
  return gzip ?? any;
}

/** If-None-Match uses the weak comparison (RFC 9110 §13.1.2). */
function notModified(header: string | undefined, etag: string): boolean {
  if (!header) return false;
  if (header.trim() === '*') return true;
  return header.split(',').some((t) => t.trim().replace(/^W\//, '') === etag);
}

export interface Workbench {
  answer(method: string, path: string, headers: IncomingHttpHeaders): WorkbenchAnswer;
}

export function createWorkbench(dir: string, opts: { warn?: (msg: string) => void; now?: () => number } = {}): Workbench {
  const now = opts.now ?? Date.now;
  let dist: Dist | null = null;
  let retryAt = 0;
  let warned = false;

  function current(): Dist | null {
    if (dist || now() < retryAt) return dist;
    try {
      dist = load(dir);
    } catch (err) {
      retryAt = now() + RETRY_MS;
      if (!warned) opts.warn?.(`workbench not served from ${dir}: ${(err as Error).message}`);
      warned = true;
    }
    return dist;
  }

  return {
    answer(method, path, headers) {
      if (method !== 'GET' && method !== 'HEAD') {
        return { error: new ApiError('E1002', `Method ${method} not allowed`), headers: { allow: 'GET, HEAD' } };
      }
      const d = current();
      if (!d) {
        return {
          error: new ApiError('E1000', 'The workbench is not built: run `npm run build:web` (or `npm start`, which builds it)', null, 503),
        };
      }
      // Raw, still percent-encoded: only names read from the folder that pass the contract's
      // pattern (no `%`, `/` or leading dot) are in the map, so the lookup is the whole check.
      const file = INDEX_PATHS.has(path) ? d.index : d.assets.get(path.slice(ASSETS_PREFIX.length));
      if (!file) return { error: new ApiError('E1004', 'No such workbench asset') };
      const variant = file.gzip && acceptsGzip(headers['accept-encoding']) ? file.gzip : file.identity;
      if (notModified(headers['if-none-match'], variant.etag)) {
        const h = variant.headers;
        const kept: OutgoingHttpHeaders = { etag: h.etag, 'cache-control': h['cache-control'] };
        if (h.vary) kept.vary = h.vary;
        return { status: 304, headers: kept, body: null };
      }
      return { status: 200, headers: variant.headers, body: variant.body };
    },
  };
}
