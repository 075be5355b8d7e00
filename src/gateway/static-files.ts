// Static files the gateway answers itself (the workbench, the API docs): held in memory, each
// with its validator, an optional gzip representation, and conditional-GET answers. Nothing here
// touches the disk; the callers read their files once and hand the bytes over.
import { createHash } from 'node:crypto';
import type { IncomingHttpHeaders, OutgoingHttpHeaders } from 'node:http';
import { promisify } from 'node:util';
import { gzip as gzipCb, gzipSync } from 'node:zlib';

const gzip = promisify(gzipCb);

export const TYPES: Record<string, string> = {
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

/** Revalidated on every use (an ETag round trip): for files whose name does not change with their content. */
export const REVALIDATE = 'no-cache';

interface Variant {
  body: Buffer;
  etag: string;
  headers: OutgoingHttpHeaders;
}

export interface StaticFile {
  identity: Variant;
  gzip: Variant | null;
}

/** What a static file answers a GET or HEAD: the file, or 304 when the client holds it already. */
export type StaticAnswer = { status: 200; body: Buffer; headers: OutgoingHttpHeaders } | { status: 304; body: null; headers: OutgoingHttpHeaders };

export interface FileOptions {
  /** Content-Type; default from the extension (`application/octet-stream` when unknown). */
  contentType?: string;
  cacheControl: string;
  /** Further headers of every answer (a Content-Security-Policy). */
  headers?: OutgoingHttpHeaders;
}

function etagOf(body: Buffer, suffix = ''): string {
  return `"${createHash('sha256').update(body).digest('base64url').slice(0, 27)}${suffix}"`;
}

function worthGzip(body: Buffer, ext: string): boolean {
  return COMPRESSIBLE.has(ext) && body.length >= MIN_GZIP_BYTES;
}

/** A gzip encoding that saves little is not worth a second representation. */
function keep(packed: Buffer, body: Buffer): Buffer | null {
  return packed.length < body.length * 0.9 ? packed : null;
}

function build(body: Buffer, ext: string, opts: FileOptions, gz: Buffer | null): StaticFile {
  const common: OutgoingHttpHeaders = {
    'content-type': opts.contentType ?? TYPES[ext] ?? 'application/octet-stream',
    'cache-control': opts.cacheControl,
    'x-content-type-options': 'nosniff',
    ...opts.headers,
  };
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

/**
 * A file in memory; compressible files are gzipped here (synchronously: for small files read at
 * start-up). `gzSibling`: a `.gz` encoding found next to the file, used as is.
 */
export function staticFile(body: Buffer, ext: string, opts: FileOptions, gzSibling: Buffer | null = null): StaticFile {
  return build(body, ext, opts, gzSibling ?? (worthGzip(body, ext) ? keep(gzipSync(body), body) : null));
}

/** The same, compressing on the thread pool: for large files (megabytes) read while serving. */
export async function staticFileAsync(body: Buffer, ext: string, opts: FileOptions): Promise<StaticFile> {
  return build(body, ext, opts, worthGzip(body, ext) ? keep(await gzip(body), body) : null);
}

function acceptsGzip(header: string | string[] | undefined): boolean {
  if (!header) return false;
  let gz: boolean | undefined;
  let any = false;
  for (const part of (Array.isArray(header) ? header.join(',') : header).split(',')) {
    const [coding, ...params] = part.split(';').map((s) => s.trim().toLowerCase());
    const q = params.find((p) => p.startsWith('q='));
    const wanted = q === undefined || Number(q.slice(2)) > 0;
    if (coding === 'gzip' || coding === 'x-gzip') gz = wanted;
    else if (coding === '*') any = wanted;
  }
  return gz ?? any;
}

/** If-None-Match uses the weak comparison (RFC 9110 §13.1.2). */
function notModified(header: string | undefined, etag: string): boolean {
  if (!header) return false;
  if (header.trim() === '*') return true;
  return header.split(',').some((t) => t.trim().replace(/^W\//, '') === etag);
}

/** The representation the request asks for (gzip when accepted), or 304 when its ETag matches. */
export function answerFile(file: StaticFile, headers: IncomingHttpHeaders): StaticAnswer {
  const variant = file.gzip && acceptsGzip(headers['accept-encoding']) ? file.gzip : file.identity;
  if (notModified(headers['if-none-match'], variant.etag)) {
    const h = variant.headers;
    const kept: OutgoingHttpHeaders = { etag: h.etag, 'cache-control': h['cache-control'] };
    if (h.vary) kept.vary = h.vary;
    return { status: 304, headers: kept, body: null };
  }
  return { status: 200, headers: variant.headers, body: variant.body };
}
