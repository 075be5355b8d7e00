// The gateway's API docs: the Scalar page, its bundle and the contract as JSON (from this
// repository and node_modules), and the AsyncAPI docs from a directory like the one
// `npm run generate` writes (here a temp folder, with files the gateway must never serve).
// node:http requests: fetch would decode gzip and normalise `..`.
import { mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import YAML from 'yaml';
import { createApp } from '../../src/gateway/app';
import { loadGatewayConfig } from '../../src/gateway/config';
import { ASYNCAPI_CSP, DOCS_CSP, SCALAR_BUNDLE } from '../../src/gateway/docs';
import type { HistorySink } from '../../src/gateway/history';
import { createLogger } from '../../src/shared/logger';
import { JWT_SECRET } from '../support/auth';
import { type Answer, expectEnvelope, get, rawRequest, recordingSink } from './support';

const SECRET_TEXT = 'TOP-SECRET-OUTSIDE-THE-DOCS';
const INDEX = '<!DOCTYPE html><html><head><title>Redis</title><link href="css/a.css" rel="stylesheet"></head><body><script src="js/app.js"></script></body></html>';
const APP_JS = `window.rendered = [${Array.from({ length: 300 }, (_, i) => `"channel ${i}"`).join(',')}];\n`;

async function startDocsGateway(asyncapiDir: string, history?: HistorySink): Promise<{ url: string; close(): Promise<void> }> {
  const config = loadGatewayConfig({ JWT_SECRET, AURA_URL: 'http://127.0.0.1:9', MAIN_URL: 'http://127.0.0.1:9', AUTH_URL: 'http://127.0.0.1:9' });
  const server: Server = createApp({ config, logger: createLogger('gateway', 'silent'), history, docs: { asyncapiDir } });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () =>
      new Promise((r) => {
        server.close(() => r());
        server.closeAllConnections();
      }),
  };
}

/** An AsyncAPI render as html-template writes it, inside a folder that also holds what must never be served. */
function makeAsyncapiDir(root: string): string {
  writeFileSync(join(root, 'secret.txt'), SECRET_TEXT);
  const dir = join(root, 'asyncapi');
  mkdirSync(join(dir, 'css'), { recursive: true });
  mkdirSync(join(dir, 'js', 'deeper'), { recursive: true });
  mkdirSync(join(dir, '.hidden'));
  writeFileSync(join(dir, 'index.html'), INDEX);
  writeFileSync(join(dir, 'css', 'a.css'), 'body{margin:0}\n');
  writeFileSync(join(dir, 'js', 'app.js'), APP_JS);
  writeFileSync(join(dir, 'js', '.env'), SECRET_TEXT);
  writeFileSync(join(dir, 'js', 'deeper', 'x.js'), SECRET_TEXT);
  writeFileSync(join(dir, '.hidden', 'x.js'), SECRET_TEXT);
  symlinkSync(join(root, 'secret.txt'), join(dir, 'js', 'link.js'));
  symlinkSync(root, join(dir, 'up'));
  return dir;
}

describe('gateway serves the API docs', () => {
  let root: string;
  let gw: { url: string; close(): Promise<void> };
  const sink = recordingSink();

  beforeAll(async () => {
    root = mkdtempSync(join(tmpdir(), 'docs-'));
    gw = await startDocsGateway(makeAsyncapiDir(root), sink);
  });
  afterAll(async () => {
    await gw.close();
    rmSync(root, { recursive: true, force: true });
  });

  it('/api/docs is a small page loading Scalar and the contract from this gateway, under a same-origin CSP', async () => {
    const a = await get(`${gw.url}/api/docs`);
    expect(a.status).toBe(200);
    expect(a.headers).toMatchObject({ 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-cache', 'content-security-policy': DOCS_CSP });
    expect(a.headers.etag).toMatch(/^"[A-Za-z0-9_-]+"$/);
    // Every script and link on the page is a path of this origin.
    const urls = [...a.text.matchAll(/(?:src|href)="([^"]+)"/g)].map((m) => m[1]);
    expect(urls).toEqual(expect.arrayContaining(['/api/docs/assets/scalar.js', '/api/docs/assets/docs.js', '/api/docs/openapi.json', '/api/docs/asyncapi']));
    for (const u of urls) expect(u).toMatch(/^(\/api\/docs|data:)/);
    expect(a.text).not.toMatch(/<script>(?!<\/script>)/);
  });

  it('the CSP allows scripts and connections from this origin only', () => {
    const directives = (csp: string) => Object.fromEntries(csp.split(';').map((d) => d.trim().split(/\s+/)).map(([k, ...v]) => [k, v.join(' ')]));
    const docs = directives(DOCS_CSP);
    expect(docs).toMatchObject({ 'default-src': "'self'", 'script-src': "'self'", 'connect-src': "'self'", 'font-src': "'self'", 'base-uri': "'none'", 'frame-ancestors': "'none'" });
    // The AsyncAPI UI compiles its schema validators at run time; still nothing from elsewhere.
    expect(directives(ASYNCAPI_CSP)).toMatchObject({ 'script-src': "'self' 'unsafe-eval'", 'connect-src': "'self'", 'base-uri': "'self'" });
  });

  it('docs.js mounts Scalar with "Try it" on this origin and its remote services off', async () => {
    const a = await get(`${gw.url}/api/docs/assets/docs.js`);
    expect(a.status).toBe(200);
    expect(a.headers['content-type']).toBe('text/javascript; charset=utf-8');
    expect(a.text).toContain('window.location.origin');
    for (const off of ['withDefaultFonts: false', 'telemetry: false', "agent: { disabled: true }", 'mcp: { disabled: true }']) expect(a.text).toContain(off);
    expect(a.text).not.toMatch(/proxyUrl|https?:\/\//);
  });

  it('scalar.js is the standalone bundle from node_modules, gzip when accepted, revalidated by ETag', async () => {
    const bundle = readFileSync(SCALAR_BUNDLE);
    const plain = await get(`${gw.url}/api/docs/assets/scalar.js`);
    expect(plain.status).toBe(200);
    expect(plain.raw.equals(bundle)).toBe(true);
    expect(plain.headers).toMatchObject({ 'content-type': 'text/javascript; charset=utf-8', 'cache-control': 'no-cache', 'x-content-type-options': 'nosniff', vary: 'Accept-Encoding' });
    const gz = await get(`${gw.url}/api/docs/assets/scalar.js`, { headers: { 'accept-encoding': 'gzip' } });
    expect(gz.headers['content-encoding']).toBe('gzip');
    expect(gz.raw.length).toBeLessThan(bundle.length / 2);
    expect(gunzipSync(gz.raw).equals(bundle)).toBe(true);
    const again = await get(`${gw.url}/api/docs/assets/scalar.js`, { headers: { 'accept-encoding': 'gzip', 'if-none-match': String(gz.headers.etag) } });
    expect(again.status).toBe(304);
    expect(again.raw.length).toBe(0);
    expectEnvelope(await get(`${gw.url}/api/docs/assets/standalone.js`), 404, 'E1004');
  });

  it('/api/docs/openapi.json is openapi.yaml as JSON', async () => {
    const a = await get(`${gw.url}/api/docs/openapi.json`);
    expect(a.status).toBe(200);
    expect(a.headers['content-type']).toBe('application/vnd.oai.openapi+json; charset=utf-8');
    expect(JSON.parse(a.text)).toEqual(YAML.parse(readFileSync(join(__dirname, '..', '..', 'openapi.yaml'), 'utf8'), { merge: true }));
    const h = await get(`${gw.url}/api/docs/openapi.json`, { method: 'HEAD' });
    expect(h.status).toBe(200);
    expect(h.raw.length).toBe(0);
    expect(h.headers['content-length']).toBe(a.headers['content-length']);
  });

  it('/api/docs/asyncapi is the rendered index, its relative links resolving to its folder', async () => {
    const a = await get(`${gw.url}/api/docs/asyncapi`);
    expect(a.status).toBe(200);
    expect(a.headers).toMatchObject({ 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-cache', 'content-security-policy': ASYNCAPI_CSP });
    expect(a.text).toBe(INDEX.replace('<head>', '<head><base href="/api/docs/asyncapi/">'));
    const css = await get(`${gw.url}/api/docs/asyncapi/css/a.css`);
    expect(css.status).toBe(200);
    expect(css.headers['content-type']).toBe('text/css; charset=utf-8');
    expect(css.text).toBe('body{margin:0}\n');
    const js = await get(`${gw.url}/api/docs/asyncapi/js/app.js`, { headers: { 'accept-encoding': 'gzip' } });
    expect(js.headers['content-encoding']).toBe('gzip');
    expect(gunzipSync(js.raw).toString()).toBe(APP_JS);
    const etag = String(js.headers.etag);
    expect((await get(`${gw.url}/api/docs/asyncapi/js/app.js`, { headers: { 'accept-encoding': 'gzip', 'if-none-match': etag } })).status).toBe(304);
  });

  it.each(
    [
      ['/api/docs/asyncapi/js/..%2f..%2fsecret.txt', 400],
      ['/api/docs/asyncapi/../secret.txt', 400],
      ['/api/docs/asyncapi/%2e%2e/secret.txt', 400],
      ['/api/docs/asyncapi/js%2f..%2f..%2fsecret.txt', 400],
      ['/api/docs/asyncapi/js/deeper%2fx.js', 400],
      ['/api/docs/asyncapi/js/.env', 404],
      ['/api/docs/asyncapi/js/link.js', 404],
      ['/api/docs/asyncapi/up/secret.txt', 404],
      ['/api/docs/asyncapi/.hidden/x.js', 404],
      ['/api/docs/asyncapi/js/deeper', 404],
      ['/api/docs/asyncapi/js/deeper/x.js', 404],
      ['/api/docs/asyncapi/index.html', 404],
      ['/api/docs/asyncapi/js/missing.js', 404],
      ['/api/docs/assets/..%2f..%2fpackage.json', 400],
      ['/api/docs/assets/package.json', 404],
      ['/api/docs/assets/chunks/x.js', 404],
    ] as const,
  )('%s → %i envelope, never a file outside the docs', async (target, status) => {
    const a = await rawRequest(gw.url, `GET ${target} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n`);
    expectEnvelope(a, status, status === 404 ? 'E1004' : 'E1001');
    expect((a as Answer).text).not.toContain(SECRET_TEXT);
  });

  it.each(['POST', 'PUT', 'DELETE'])('%s is 405 E1002 with Allow: GET, HEAD', async (method) => {
    for (const path of ['/api/docs', '/api/docs/openapi.json', '/api/docs/assets/scalar.js', '/api/docs/asyncapi', '/api/docs/asyncapi/css/a.css']) {
      const a = await get(gw.url + path, { method });
      expectEnvelope(a, 405, 'E1002');
      expect(a.headers.allow).toBe('GET, HEAD');
    }
  });

  it('docs requests leave no API call history row', async () => {
    sink.rows.length = 0;
    for (const path of ['/api/docs', '/api/docs/openapi.json', '/api/docs/assets/docs.js', '/api/docs/asyncapi', '/api/docs/asyncapi/css/a.css']) await get(gw.url + path);
    expect(sink.rows).toEqual([]);
  });
});

describe('gateway before the AsyncAPI docs are generated', () => {
  let root: string;
  let gw: { url: string; close(): Promise<void> };

  beforeAll(async () => {
    root = mkdtempSync(join(tmpdir(), 'docs-missing-'));
    gw = await startDocsGateway(join(root, 'asyncapi'));
  });
  afterAll(async () => {
    await gw.close();
    rmSync(root, { recursive: true, force: true });
  });

  it.each(['/api/docs/asyncapi', '/api/docs/asyncapi/css/a.css'])('%s is 503 E1000 saying to run npm run generate', async (path) => {
    const a = await get(gw.url + path);
    expectEnvelope(a, 503, 'E1000');
    expect(a.body.message).toContain('npm run generate');
    // The Scalar reference does not depend on them.
    expect((await get(`${gw.url}/api/docs`)).status).toBe(200);
  });

  it('a render written after start-up is picked up', async () => {
    makeAsyncapiDir(root);
    // Missing docs are looked for again at most once a second.
    let a = await get(`${gw.url}/api/docs/asyncapi`);
    for (let i = 0; i < 40 && a.status !== 200; i++) {
      await new Promise((r) => setTimeout(r, 100));
      a = await get(`${gw.url}/api/docs/asyncapi`);
    }
    expect(a.status).toBe(200);
    expect(a.text).toContain('<base href="/api/docs/asyncapi/">');
  });
});
