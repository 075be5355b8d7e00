// Runs @asyncapi/generator 2.x on asyncapi.yaml: the in-repo template (scripts/codegen/asyncapi-template)
// renders generated/redis.ts, and @asyncapi/html-template renders the AsyncAPI docs into
// generated/docs/asyncapi/. Each renders into a temporary directory; the files come back as strings for
// generate.ts's `files` map, so `--check` compares them like every other generated file.
// 2.x, not 3.x: generator 3 needs Node 24 and these machines run Node 20.
import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, join, relative, sep } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import YAML from 'yaml';

export const REDIS_TEMPLATE_DIR = join(__dirname, 'asyncapi-template');
const HTML_TEMPLATE_DIR = dirname(require.resolve('@asyncapi/html-template/package.json'));
/** Where the private template copies go: inside node_modules, so a copy resolves its packages from there. */
const CACHE_DIR = join(__dirname, '..', '..', 'node_modules', '.cache');

/**
 * Parser option (the generator's `resolve`): reads a `$ref`ed file like the default resolver, but
 * sets `x-parser-schema-id` on each `components.schemas` entry to the entry's name. The parser
 * dereferences `./openapi.yaml#/components/schemas/X`, which would leave the payload anonymous
 * (`<anonymous-schema-N>`); with the id, `schema.id()` in the parsed document is `X`, which the Redis
 * template types and validates by (`S.X`, `V.X`) and the HTML docs show as the payload's name.
 */
const namedSchemasResolver = {
  file: {
    order: 1,
    canRead: true,
    read({ url }: { url: string }): string {
      const path = url.startsWith('file:') ? fileURLToPath(url) : url;
      const doc = YAML.parse(readFileSync(path, 'utf8'), { merge: true });
      for (const [name, schema] of Object.entries<any>(doc?.components?.schemas ?? {})) {
        if (schema && typeof schema === 'object' && !('x-parser-schema-id' in schema)) schema['x-parser-schema-id'] = name;
      }
      return JSON.stringify(doc);
    },
  },
};

function readTree(dir: string, base = dir): Record<string, string> {
  const out: Record<string, string> = {};
  for (const name of readdirSync(dir).sort()) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) Object.assign(out, readTree(p, base));
    else out[relative(base, p).split(sep).join('/')] = readFileSync(p, 'utf8');
  }
  return out;
}

/**
 * A React template is transpiled into `__transpiled/` inside its own directory before it renders, so
 * the generator gets a private copy: nothing is written into the repo or node_modules, and concurrent
 * runs never read each other's half-written output. The copy's `node_modules` links to the template's
 * own (html-template keeps React 18 there). `skip`: template files left out of the copy.
 */
function privateCopy(template: string, work: string, skip: string[] = []): string {
  const copy = join(work, basename(template));
  const skipped = new Set(skip.map((rel) => join(template, rel)));
  cpSync(template, copy, {
    recursive: true,
    filter: (src) => !['node_modules', '__transpiled'].includes(basename(src)) && !skipped.has(src),
  });
  if (existsSync(join(template, 'node_modules'))) symlinkSync(join(template, 'node_modules'), join(copy, 'node_modules'), 'dir');
  return copy;
}

/** Renders `template` with `<root>/asyncapi.yaml` into `out` (in this process). */
async function generate(root: string, template: string, out: string, options: Record<string, unknown>, skip: string[] = []): Promise<void> {
  mkdirSync(CACHE_DIR, { recursive: true });
  const work = mkdtempSync(join(CACHE_DIR, 'asyncapi-generator-'));
  try {
    // No type declarations ship with the generator.
    const Generator = require('@asyncapi/generator');
    const file = join(root, 'asyncapi.yaml');
    const generator = new Generator(privateCopy(template, work, skip), out, { forceWrite: true, install: false, ...options });
    // generateFromFile(file) is generate(<file's text>, { path: file }) with no way to pass parser
    // options; this is that call plus the resolver above.
    await generator.generate(readFileSync(file, 'utf8'), { path: file, resolve: namedSchemasResolver });
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

/** `redis.ts`, rendered by scripts/codegen/asyncapi-template from `<root>/asyncapi.yaml`. */
export async function renderRedisModule(root: string): Promise<Record<string, string>> {
  const out = mkdtempSync(join(tmpdir(), 'asyncapi-redis-'));
  try {
    await generate(root, REDIS_TEMPLATE_DIR, out, {});
    const files = readTree(out);
    const names = Object.keys(files);
    if (names.length !== 1 || files['redis.ts'] === undefined) throw new Error(`asyncapi-template rendered ${names.join(', ') || 'nothing'}, expected redis.ts`);
    return { 'redis.ts': files['redis.ts'] };
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
}

/** html-template's files the generator copies as they are (its `nonRenderableFiles`). */
function htmlStaticFiles(): string[] {
  return JSON.parse(readFileSync(join(HTML_TEMPLATE_DIR, 'package.json'), 'utf8')).generator.nonRenderableFiles;
}

/**
 * The child process that renders the HTML docs. html-template renders with its own React 18
 * (node_modules/@asyncapi/html-template/node_modules), but npm hoisted @asyncapi/react-component
 * (and the React libraries it uses) to the top, where `react` is the app's React 19, and two Reacts
 * in one render fail. So `react` and `react-dom` resolve from html-template here; in a child process
 * that neither leaks into generate.ts, nor does the `window` html-template puts on `global` (jsdom).
 */
async function docsChild(root: string, out: string): Promise<void> {
  const Module = require('node:module');
  const resolve = Module._resolveFilename;
  const fromHtmlTemplate = { id: HTML_TEMPLATE_DIR, filename: join(HTML_TEMPLATE_DIR, 'package.json'), paths: Module._nodeModulePaths(HTML_TEMPLATE_DIR) };
  Module._resolveFilename = function (this: unknown, request: string, parent: unknown, ...rest: unknown[]) {
    if (/^react(-dom)?(\/|$)/.test(request)) {
      try {
        return resolve.call(this, request, fromHtmlTemplate, ...rest);
      } catch {
        // A path React 18 does not export (the transpiler's own `react/cjs/...` JSX runtime).
      }
    }
    return resolve.call(this, request, parent, ...rest);
  };
  await generate(root, HTML_TEMPLATE_DIR, out, {
    templateParams: { singleFile: 'false' },
    // Its only generate:after hook makes a PDF with puppeteer (whose browser is never downloaded).
    disabledHooks: { 'generate:after': true },
  }, htmlStaticFiles().map((rel) => join('template', rel)));
}

/**
 * `docs/asyncapi/`: index.html with css/ and js/, rendered by @asyncapi/html-template. Its static
 * files (the 2.5 MB UI bundle and the stylesheets) are read from the package instead of going
 * through the generator, which would run Babel over the bundle for half a minute only to copy it.
 */
export function renderAsyncapiDocs(root: string): Record<string, string> {
  const out = mkdtempSync(join(tmpdir(), 'asyncapi-docs-'));
  try {
    execFileSync(process.execPath, ['--import', pathToFileURL(require.resolve('tsx')).href, __filename, '--docs-child', root, out], { stdio: 'inherit' });
    const files = readTree(out);
    for (const rel of htmlStaticFiles()) files[rel] = readFileSync(join(HTML_TEMPLATE_DIR, 'template', rel), 'utf8');
    return Object.fromEntries(
      Object.keys(files)
        .sort()
        .map((rel) => [`docs/asyncapi/${rel}`, files[rel]]),
    );
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
}

if (require.main === module && process.argv[2] === '--docs-child') {
  docsChild(process.argv[3], process.argv[4]).catch((err) => {
    console.error(err);
    process.exit(1);
  });
}
