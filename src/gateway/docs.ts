// The API docs the gateway serves at /api/docs (public): the Scalar API reference of openapi.yaml
// and, beside it, the AsyncAPI docs `npm run generate` renders with @asyncapi/html-template.
// Everything comes from this machine (node_modules, the repository, generated/): the page works
// without any network, and its Content-Security-Policy lets it reach this origin only. Each file
// is read once per process; a request can only name a file found by that one read, so no request
// path is ever joined onto a directory.
import type { Dirent } from 'node:fs';
import { readdir, readFile } from 'node:fs/promises';
import type { IncomingHttpHeaders } from 'node:http';
import { dirname, extname, join } from 'node:path';
import { parse } from 'yaml';
import { operations } from '../../generated/server/operations';
import { StaticFileName } from '../../generated/validators/schemas';
import { ApiError } from '../shared/errors';
import { answerFile, REVALIDATE, type StaticAnswer, type StaticFile, staticFile, staticFileAsync } from './static-files';

const REPO = join(__dirname, '..', '..');
export const DEFAULT_OPENAPI_PATH = join(REPO, 'openapi.yaml');
export const DEFAULT_ASYNCAPI_DOCS_DIR = join(REPO, 'generated', 'docs', 'asyncapi');
/** The standalone browser bundle of @scalar/api-reference (one script, no chunks, no CDN). */
export const SCALAR_BUNDLE = join(dirname(require.resolve('@scalar/api-reference')), 'browser', 'standalone.js');

const prefixOf = (path: string) => path.slice(0, path.indexOf('{'));
const ASSETS_PREFIX = prefixOf(operations.ApiDocsAsset.path);
const SPEC_URL = operations.ApiDocsOpenApi.path;
const ASYNCAPI_URL = operations.AsyncApiDocs.path;
/** Where the AsyncAPI page's relative links (`css/…`, `js/…`) must resolve: its folder. */
const ASYNCAPI_BASE = prefixOf(operations.AsyncApiDocsAsset.path);
const validName = (name: string) => StaticFileName(name);
const TITLE = 'DWP platform';

const SCALAR_JS = 'scalar.js';
const DOCS_JS = 'docs.js';

/**
 * Scripts and connections from this origin only: the reference's "Try it" calls this gateway and
 * nothing else, and nothing can be loaded from elsewhere. Scalar sets inline styles, and the
 * AsyncAPI page's favicon is a data: URL.
 */
const csp = (script: string, base: string) =>
  `default-src 'self'; script-src ${script}; style-src 'self' 'unsafe-inline'; img-src 'self' data:; font-src 'self'; ` +
  `connect-src 'self'; frame-ancestors 'none'; base-uri ${base}; form-action 'self'`;
export const DOCS_CSP = csp("'self'", "'none'");
/**
 * The AsyncAPI page carries a `<base>` naming its own folder, so it may set one (to this origin).
 * Its UI bundle validates the document with Ajv, which compiles schemas with `new Function`: the
 * page needs 'unsafe-eval'. It is static (this repository's asyncapi.yaml, no input, no token), and
 * still cannot load or reach anything outside this origin.
 */
export const ASYNCAPI_CSP = csp("'self' 'unsafe-eval'", "'self'");

// A missing AsyncAPI render is looked for again at most this often (like the workbench's dist).
const RETRY_MS = 1000;

const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

function pageHtml(title: string): string {
  // The header sits above Scalar's layout; Scalar offsets its sticky sidebar by this variable.
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${esc(title)} — API reference</title>
<link rel="icon" href="data:,">
<style>
:root { --scalar-custom-header-height: 2.5rem; }
body { margin: 0; }
.docs-header { position: sticky; top: 0; z-index: 100; box-sizing: border-box; height: 2.5rem; display: flex; gap: 1.5rem; align-items: center;
  padding: 0 1rem; font: 14px/1 system-ui, sans-serif; background: #1b1f24; color: #fff; }
.docs-header a { color: #9ecbff; }
</style>
</head>
<body>
<header class="docs-header">
<strong>${esc(title)}</strong>
<span>HTTP: this page (<a href="${esc(SPEC_URL)}">openapi.json</a>)</span>
<a id="asyncapi-link" href="${esc(ASYNCAPI_URL)}">Redis channels and messages (AsyncAPI)</a>
</header>
<div id="reference" data-openapi="${esc(SPEC_URL)}"></div>
<script src="${esc(ASSETS_PREFIX + SCALAR_JS)}"></script>
<script src="${esc(ASSETS_PREFIX + DOCS_JS)}"></script>
</body>
</html>
`;
}

// Mounts the reference (the CSP allows no inline script, so this is a file of its own; the mount
// point is not `#api-reference`, which the bundle would mount by itself with its defaults). "Try it"
// targets the origin the page came from; Scalar's proxy (no proxyUrl), telemetry, fonts from its
// CDN, AI agent and MCP button are off, so nothing leaves this origin.
const INIT_JS = `'use strict';
(function () {
  var el = document.getElementById('reference');
  window.Scalar.createApiReference(el, {
    url: el.dataset.openapi,
    servers: [{ url: window.location.origin, description: 'This gateway (the origin of this page)' }],
    withDefaultFonts: false,
    telemetry: false,
    showDeveloperTools: 'never',
    agent: { disabled: true },
    mcp: { disabled: true },
    hideClientButton: false,
    persistAuth: false,
    authentication: { preferredSecurityScheme: 'bearerAuth' },
  });
})();
`;

interface AsyncApiDocs {
  index: StaticFile;
  /** `folder/file` → file. */
  files: Map<string, StaticFile>;
}

/** `<base href>` right after `<head>`, unless the page has one: its links are relative to its folder. */
function withBase(html: string): string {
  if (/<base\s/i.test(html)) return html;
  const head = /<head[^>]*>/i.exec(html);
  const tag = `<base href="${ASYNCAPI_BASE}">`;
  return head ? html.slice(0, head.index + head[0].length) + tag + html.slice(head.index + head[0].length) : tag + html;
}

async function loadAsyncApi(dir: string): Promise<AsyncApiDocs> {
  const html = await readFile(join(dir, 'index.html'), 'utf8');
  const index = staticFile(Buffer.from(withBase(html)), '.html', { cacheControl: REVALIDATE, headers: { 'content-security-policy': ASYNCAPI_CSP } });
  const files = new Map<string, StaticFile>();
  // Dirent types come from lstat: symlinks are neither folders nor files here, so nothing
  // reachable through a link (possibly outside the directory) is ever loaded. One level deep.
  const folders = (await readdir(dir, { withFileTypes: true })).filter((e) => e.isDirectory() && validName(e.name));
  for (const folder of folders) {
    const entries: Dirent[] = await readdir(join(dir, folder.name), { withFileTypes: true });
    for (const e of entries) {
      if (!e.isFile() || !validName(e.name)) continue;
      const body = await readFile(join(dir, folder.name, e.name));
      files.set(`${folder.name}/${e.name}`, await staticFileAsync(body, extname(e.name).toLowerCase(), { cacheControl: REVALIDATE }));
    }
  }
  return { index, files };
}

export interface DocsOptions {
  openapiPath?: string;
  asyncapiDir?: string;
  scalarBundle?: string;
  warn?: (msg: string) => void;
  now?: () => number;
}

/** The answers of the docs operations: a file, a 304, or a thrown ApiError (404; 503 when not there). */
export interface Docs {
  page(headers: IncomingHttpHeaders): StaticAnswer;
  openapi(headers: IncomingHttpHeaders): Promise<StaticAnswer>;
  asset(name: string, headers: IncomingHttpHeaders): Promise<StaticAnswer>;
  asyncapiIndex(headers: IncomingHttpHeaders): Promise<StaticAnswer>;
  asyncapiAsset(folder: string, file: string, headers: IncomingHttpHeaders): Promise<StaticAnswer>;
}

/** A load run once, on first use; a failure is remembered for `RETRY_MS`, then tried again. */
function once<T>(load: () => Promise<T>, now: () => number, onError: (err: Error) => ApiError): () => Promise<T> {
  let value: Promise<T> | null = null;
  let failedAt = -Infinity;
  let failure: ApiError | null = null;
  return async () => {
    if (failure && now() < failedAt + RETRY_MS) throw failure;
    value ??= load();
    try {
      return await value;
    } catch (err) {
      value = null;
      failedAt = now();
      failure = onError(err as Error);
      throw failure;
    }
  };
}

export function createDocs(opts: DocsOptions = {}): Docs {
  const now = opts.now ?? Date.now;
  const openapiPath = opts.openapiPath ?? DEFAULT_OPENAPI_PATH;
  const asyncapiDir = opts.asyncapiDir ?? DEFAULT_ASYNCAPI_DOCS_DIR;
  const scalarBundle = opts.scalarBundle ?? SCALAR_BUNDLE;
  const warned = new Set<string>();
  const warnOnce = (key: string, msg: string) => {
    if (warned.has(key)) return;
    warned.add(key);
    opts.warn?.(msg);
  };

  const page = staticFile(Buffer.from(pageHtml(TITLE)), '.html', { cacheControl: REVALIDATE, headers: { 'content-security-policy': DOCS_CSP } });

  const spec = once(
    async () => {
      const doc = parse(await readFile(openapiPath, 'utf8'), { merge: true });
      return staticFileAsync(Buffer.from(JSON.stringify(doc)), '.json', {
        contentType: 'application/vnd.oai.openapi+json; charset=utf-8',
        cacheControl: REVALIDATE,
      });
    },
    now,
    (err) => {
      warnOnce('spec', `openapi.yaml not served from ${openapiPath}: ${err.message}`);
      return new ApiError('E1000', 'The OpenAPI document could not be read', null, 503);
    },
  );

  const scalar = once(
    async () => staticFileAsync(await readFile(scalarBundle), '.js', { cacheControl: REVALIDATE }),
    now,
    (err) => {
      warnOnce('scalar', `Scalar bundle not served from ${scalarBundle}: ${err.message}`);
      return new ApiError('E1000', 'The Scalar bundle is missing: run `npm install` (@scalar/api-reference)', null, 503);
    },
  );
  const init = staticFile(Buffer.from(INIT_JS), '.js', { cacheControl: REVALIDATE });

  const asyncapi = once(
    () => loadAsyncApi(asyncapiDir),
    now,
    (err) => {
      warnOnce('asyncapi', `AsyncAPI docs not served from ${asyncapiDir}: ${err.message}`);
      return new ApiError('E1000', 'The AsyncAPI docs are not generated: run `npm run generate`', null, 503);
    },
  );

  return {
    page(headers) {
      return answerFile(page, headers);
    },
    async openapi(headers) {
      return answerFile(await spec(), headers);
    },
    async asset(name, headers) {
      if (name === SCALAR_JS) return answerFile(await scalar(), headers);
      if (name === DOCS_JS) return answerFile(init, headers);
      throw new ApiError('E1004', 'No such docs asset');
    },
    async asyncapiIndex(headers) {
      return answerFile((await asyncapi()).index, headers);
    },
    async asyncapiAsset(folder, file, headers) {
      // Raw, still percent-encoded: only names read from the directory that pass the contract's
      // pattern are in the map, so the lookup is the whole check.
      const found = (await asyncapi()).files.get(`${folder}/${file}`);
      if (!found) throw new ApiError('E1004', 'No such AsyncAPI docs file');
      return answerFile(found, headers);
    },
  };
}
