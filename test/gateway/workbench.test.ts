// The gateway serving the built workbench from GATEWAY_WEB_DIR: real files in a temp folder,
// a real gateway on port 0, node:http requests (fetch would decode gzip and normalise `..`).
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { gunzipSync, gzipSync } from 'node:zlib';
import { loadGatewayConfig } from '../../src/gateway/config';
import { WORKBENCH_CSP } from '../../src/gateway/workbench';
import { authHeaders, JWT_SECRET } from '../support/auth';
import { type Answer, expectEnvelope, type Gateway, get, rawRequest, recordingSink, startGateway, startStub, type Stub } from './support';

const SECRET_TEXT = 'TOP-SECRET-OUTSIDE-THE-DIST';
const INDEX = '<!doctype html><html><head><script type="module" src="/assets/index-Abc123.js"></script></head><body><div id="root"></div></body></html>';
const BIG_JS = `export const rows = [${Array.from({ length: 400 }, (_, i) => `{id:${i},label:"row ${i}"}`).join(',')}];\n`;
const CSS = `body{margin:0}\n`.repeat(200);
const CSS_GZ_SIBLING = gzipSync(Buffer.from(CSS), { level: 1 });
const PNG = Buffer.from('89504e470d0a1a0a0000000d49484452', 'hex');

/** A dist as `vite build` writes it, inside a folder that also holds a file the gateway must never serve. */
function makeDist(): { root: string; dist: string } {
  const root = mkdtempSync(join(tmpdir(), 'workbench-'));
  writeFileSync(join(root, 'secret.txt'), SECRET_TEXT);
  writeFileSync(join(root, 'package.json'), `{"secret":"${SECRET_TEXT}"}`);
  const dist = join(root, 'dist');
  const assets = join(dist, 'assets');
  mkdirSync(join(assets, 'nested'), { recursive: true });
  writeFileSync(join(dist, 'index.html'), INDEX);
  writeFileSync(join(dist, 'secret-at-top.txt'), SECRET_TEXT);
  writeFileSync(join(assets, 'index-Abc123.js'), BIG_JS);
  writeFileSync(join(assets, 'tiny-Q1.js'), 'export {};\n');
  writeFileSync(join(assets, 'index-Abc123.js.map'), '{"version":3,"sources":[]}');
  writeFileSync(join(assets, 'style-Def456.css'), CSS);
  writeFileSync(join(assets, 'style-Def456.css.gz'), CSS_GZ_SIBLING);
  writeFileSync(join(assets, 'logo-1.svg'), '<svg xmlns="http://www.w3.org/2000/svg"/>');
  writeFileSync(join(assets, 'logo-2.png'), PNG);
  writeFileSync(join(assets, 'font-3.woff2'), Buffer.from([0x77, 0x4f, 0x46, 0x32]));
  writeFileSync(join(assets, 'data-4.json'), '{"a":1}');
  writeFileSync(join(assets, 'favicon.ico'), Buffer.from([0, 0, 1, 0]));
  writeFileSync(join(assets, 'notes.txt'), 'hello');
  writeFileSync(join(assets, 'blob.bin'), Buffer.from([1, 2, 3]));
  writeFileSync(join(assets, '.hidden'), SECRET_TEXT);
  writeFileSync(join(assets, 'nested', 'inner.js'), SECRET_TEXT);
  symlinkSync(join(root, 'secret.txt'), join(assets, 'link.txt'));
  return { root, dist };
}

describe('gateway serves the workbench', () => {
  let main: Stub;
  let gw: Gateway;
  let root: string;
  let dist: string;
  const sink = recordingSink();

  beforeAll(async () => {
    ({ root, dist } = makeDist());
    main = await startStub();
    gw = await startGateway({ main: main.url }, { GATEWAY_WEB_DIR: dist }, sink);
  });
  afterAll(async () => {
    await gw.close();
    await main.close();
    rmSync(root, { recursive: true, force: true });
  });

  const expectTraceHeaders = (a: Answer) => {
    expect(a.headers['x-trace-id']).toEqual(expect.any(String));
    expect(a.headers['x-gateway-request-id']).toEqual(expect.any(String));
  };

  it.each(['/', '/index.html'])('%s is the index: no-cache, the same-origin CSP, nosniff, an ETag', async (path) => {
    const a = await get(gw.url + path);
    expect(a.status).toBe(200);
    expect(a.text).toBe(INDEX);
    expect(a.headers).toMatchObject({
      'content-type': 'text/html; charset=utf-8',
      'cache-control': 'no-cache',
      'content-security-policy': WORKBENCH_CSP,
      'x-content-type-options': 'nosniff',
      'content-length': String(Buffer.byteLength(INDEX)),
    });
    expect(a.headers.etag).toMatch(/^"[A-Za-z0-9_-]+"$/);
    expectTraceHeaders(a);
  });

  it('the CSP allows scripts, styles and connections from this origin only', () => {
    const directives = Object.fromEntries(WORKBENCH_CSP.split(';').map((d) => d.trim().split(/\s+/)).map(([k, ...v]) => [k, v.join(' ')]));
    expect(directives).toEqual({
      'default-src': "'self'",
      'img-src': "'self' data:",
      'style-src': "'self' 'unsafe-inline'",
      'connect-src': "'self'",
      'frame-ancestors': "'none'",
      'base-uri': "'none'",
      'form-action': "'self'",
    });
  });

  it.each([
    ['tiny-Q1.js', 'text/javascript; charset=utf-8'],
    ['index-Abc123.js.map', 'application/json; charset=utf-8'],
    ['logo-1.svg', 'image/svg+xml'],
    ['logo-2.png', 'image/png'],
    ['font-3.woff2', 'font/woff2'],
    ['data-4.json', 'application/json; charset=utf-8'],
    ['favicon.ico', 'image/x-icon'],
    ['notes.txt', 'text/plain; charset=utf-8'],
    ['blob.bin', 'application/octet-stream'],
  ])('assets/%s: %s, cached for a year as immutable', async (name, type) => {
    const a = await get(`${gw.url}/assets/${name}`);
    expect(a.status).toBe(200);
    expect(a.headers).toMatchObject({
      'content-type': type,
      'cache-control': 'public, max-age=31536000, immutable',
      'x-content-type-options': 'nosniff',
    });
    expect(a.headers['content-security-policy']).toBeUndefined();
    expect(a.headers['content-encoding']).toBeUndefined();
    expect(Number(a.headers['content-length'])).toBe(a.raw.length);
    expectTraceHeaders(a);
  });

  it('If-None-Match with the ETag is 304 without a body, for the index and for assets', async () => {
    for (const path of ['/', '/assets/tiny-Q1.js']) {
      const first = await get(gw.url + path);
      const etag = String(first.headers.etag);
      for (const inm of [etag, `W/${etag}`, `"other", ${etag}`, '*']) {
        const again = await get(gw.url + path, { headers: { 'if-none-match': inm } });
        expect(again.status).toBe(304);
        expect(again.raw.length).toBe(0);
        expect(again.headers.etag).toBe(etag);
        expect(again.headers['cache-control']).toBe(first.headers['cache-control']);
        expectTraceHeaders(again);
      }
      const stale = await get(gw.url + path, { headers: { 'if-none-match': '"stale"' } });
      expect(stale.status).toBe(200);
      expect(stale.raw.equals(first.raw)).toBe(true);
    }
  });

  it('gzip when the client accepts it: compressed in memory, or the .gz file next to the asset', async () => {
    const plain = await get(`${gw.url}/assets/index-Abc123.js`);
    expect(plain.text).toBe(BIG_JS);
    expect(plain.headers.vary).toBe('Accept-Encoding');
    const gz = await get(`${gw.url}/assets/index-Abc123.js`, { headers: { 'accept-encoding': 'br, gzip;q=0.8' } });
    expect(gz.headers['content-encoding']).toBe('gzip');
    expect(gz.headers.vary).toBe('Accept-Encoding');
    expect(gz.raw.length).toBeLessThan(Buffer.byteLength(BIG_JS) / 2);
    expect(gunzipSync(gz.raw).toString()).toBe(BIG_JS);
    // Each encoding has its own validator, and a 304 only for the one the client holds.
    expect(gz.headers.etag).not.toBe(plain.headers.etag);
    const revalidated = await get(`${gw.url}/assets/index-Abc123.js`, { headers: { 'accept-encoding': 'gzip', 'if-none-match': String(gz.headers.etag) } });
    expect(revalidated.status).toBe(304);

    const refused = await get(`${gw.url}/assets/index-Abc123.js`, { headers: { 'accept-encoding': 'gzip;q=0, identity' } });
    expect(refused.headers['content-encoding']).toBeUndefined();
    expect(refused.text).toBe(BIG_JS);

    const sibling = await get(`${gw.url}/assets/style-Def456.css`, { headers: { 'accept-encoding': 'gzip' } });
    expect(sibling.headers['content-encoding']).toBe('gzip');
    expect(sibling.headers['content-type']).toBe('text/css; charset=utf-8');
    expect(sibling.raw.equals(CSS_GZ_SIBLING)).toBe(true);
    // The .gz file is an encoding of its sibling, not an asset of its own.
    expectEnvelope(await get(`${gw.url}/assets/style-Def456.css.gz`), 404, 'E1004');
    // Tiny files are not worth a second representation.
    const tiny = await get(`${gw.url}/assets/tiny-Q1.js`, { headers: { 'accept-encoding': 'gzip' } });
    expect(tiny.headers['content-encoding']).toBeUndefined();
    expect(tiny.headers.vary).toBeUndefined();
  });

  it('HEAD answers the same headers without a body', async () => {
    for (const path of ['/', '/assets/index-Abc123.js']) {
      const g = await get(gw.url + path);
      const h = await get(gw.url + path, { method: 'HEAD' });
      expect(h.status).toBe(200);
      expect(h.raw.length).toBe(0);
      for (const k of ['content-type', 'content-length', 'cache-control', 'etag', 'content-security-policy']) expect(h.headers[k]).toBe(g.headers[k]);
    }
  });

  it.each(['POST', 'PUT', 'DELETE', 'PATCH'])('%s is 405 E1002 with Allow: GET, HEAD', async (method) => {
    for (const path of ['/', '/index.html', '/assets/tiny-Q1.js']) {
      const a = await get(gw.url + path, { method });
      expectEnvelope(a, 405, 'E1002');
      expect(a.headers.allow).toBe('GET, HEAD');
      expectTraceHeaders(a);
    }
  });

  const shorten = (t: string) => (t.length > 60 ? `${t.slice(0, 12)}…(${t.length} chars)` : t);
  it.each(
    (
      [
        ['/assets/..%2f..%2fpackage.json', 400],
        ['/assets/..%2F..%2Fsecret.txt', 400],
        ['/assets/../package.json', 400],
        ['/assets/../../secret.txt', 400],
        ['/assets/%2e%2e/secret-at-top.txt', 400],
        ['/assets/%2e%2e%2fsecret-at-top.txt', 400],
        ['/assets/..\\secret-at-top.txt', 400],
        ['/assets/..%5csecret-at-top.txt', 400],
        ['/assets/x%00.js', 400],
        ['/assets/%00', 400],
        ['/assets/x\u0000.js', 400],
        ['/assets//secret.txt', 400],
        ['/assets/./tiny-Q1.js', 400],
        [`/assets/${'a'.repeat(9000)}.js`, 400],
        [`/assets/${'a'.repeat(201)}.js`, 404],
        ['/assets/%73ecret.txt', 404],
        ['/assets/.hidden', 404],
        ['/assets/nested', 404],
        ['/assets/nested%2finner.js', 400],
        ['/assets/link.txt', 404],
        ['/assets/secret-at-top.txt', 404],
        ['/assets/', 404],
        ['/assets/missing-Zz9.js', 404],
      ] as const
    ).map(([target, status]) => [shorten(target), target, status] as const),
  )('%s → %i envelope, never a file outside assets/', async (_label, target, status) => {
    const a = await rawRequest(gw.url, `GET ${target} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n`);
    expectEnvelope(a, status, status === 404 ? 'E1004' : 'E1001');
    expect((a as Answer).text).not.toContain(SECRET_TEXT);
  });

  it('reads the files once: later changes on disk do not change what is served', async () => {
    const before = await get(`${gw.url}/assets/notes.txt`);
    writeFileSync(join(dist, 'assets', 'notes.txt'), 'changed');
    writeFileSync(join(dist, 'assets', 'added-1.js'), 'export {};');
    expect((await get(`${gw.url}/assets/notes.txt`)).text).toBe(before.text);
    expectEnvelope(await get(`${gw.url}/assets/added-1.js`), 404, 'E1004');
  });

  it('API routes and the other gateway endpoints are unaffected', async () => {
    const api = await get(`${gw.url}/api/main/cases`, { headers: authHeaders('alice', 't1') });
    expect(api.status).toBe(200);
    expect(main.seen[main.seen.length - 1].url).toBe('/main/cases');
    expect((await get(`${gw.url}/api/docs`)).headers['content-type']).toBe('text/html; charset=utf-8');
    expect((await get(`${gw.url}/metrics`)).status).toBe(200);
    // Only the workbench's own paths are static: anything else is still "no route".
    for (const path of ['/assets', '/favicon.ico', '/index.htm', '/cases/1', '/api/assets/tiny-Q1.js']) {
      const a = await get(gw.url + path);
      expectEnvelope(a, 404, 'E1004');
      expect(a.body.message).toMatch(/No route/);
    }
    // The tenant and token filters apply to the API only.
    expectEnvelope(await get(`${gw.url}/api/main/cases`), 400, 'E2006');
  });

  it('static files leave no API call history row; API calls still do', async () => {
    sink.rows.length = 0;
    await get(`${gw.url}/`);
    await get(`${gw.url}/assets/tiny-Q1.js`);
    await get(`${gw.url}/assets/missing-Zz9.js`);
    await get(`${gw.url}/`, { method: 'POST' });
    expect(sink.rows).toEqual([]);
    await get(`${gw.url}/api/main/cases`, { headers: authHeaders('alice', 't1') });
    expect(sink.rows.map((r) => r.path)).toEqual(['/api/main/cases']);
  });
});

describe('gateway without a built workbench', () => {
  let gw: Gateway;
  let root: string;

  beforeAll(async () => {
    root = mkdtempSync(join(tmpdir(), 'workbench-missing-'));
    gw = await startGateway({}, { GATEWAY_WEB_DIR: join(root, 'dist') });
  });
  afterAll(async () => {
    await gw.close();
    rmSync(root, { recursive: true, force: true });
  });

  it.each(['/', '/index.html', '/assets/index-Abc123.js'])('%s is 503 E1000 saying how to build it', async (path) => {
    for (const method of ['GET', 'HEAD']) {
      const a = await get(gw.url + path, { method });
      expect(a.status).toBe(503);
      expect(a.headers['content-type']).toBe('application/json; charset=utf-8');
      expect(a.headers['x-trace-id']).toEqual(expect.any(String));
      if (method === 'GET') {
        expectEnvelope(a, 503, 'E1000');
        expect(a.body.message).toContain('npm run build:web');
      }
    }
  });

  it('a dist built after start-up is picked up', async () => {
    mkdirSync(join(root, 'dist'));
    writeFileSync(join(root, 'dist', 'index.html'), INDEX);
    // Missing dists are looked for again at most once a second.
    let a = await get(`${gw.url}/`);
    for (let i = 0; i < 40 && a.status !== 200; i++) {
      await new Promise((r) => setTimeout(r, 100));
      a = await get(`${gw.url}/`);
    }
    expect(a.status).toBe(200);
    expect(a.text).toBe(INDEX);
  });
});

describe('GATEWAY_WEB_DIR', () => {
  it('defaults to web/dist of this repository, whatever the working directory', () => {
    const cwd = process.cwd();
    try {
      process.chdir(tmpdir());
      expect(loadGatewayConfig({ JWT_SECRET }).webDir).toBe(resolve(__dirname, '..', '..', 'web', 'dist'));
    } finally {
      process.chdir(cwd);
    }
  });

  it('is taken from the environment', () => {
    expect(loadGatewayConfig({ JWT_SECRET, GATEWAY_WEB_DIR: '/srv/workbench' }).webDir).toBe('/srv/workbench');
  });
});
