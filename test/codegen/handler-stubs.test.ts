// The handler workflow end to end, on a copy of the specs: add an operation, `npm run generate` (here
// `--root <copy> --only ts`), and the copy gets generated/ plus a stub for every operation without a
// handler file. The stubs compile into the typed handlers object, a service started from them answers
// 501 E1000 (so a stub can never pass a contract test), a second run leaves an edited stub alone, and
// `--check` fails while an operation has no handler file.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import ts from 'typescript';
import YAML from 'yaml';
import * as V from '../../generated/validators/schemas';
import { authHeaders } from '../support/auth';
import { createLogger } from '../../src/shared/logger';
import { createServiceApp } from '../../src/shared/http/service-app';
import { listen } from '../support/listen';

const REPO = join(__dirname, '../..');
const GENERATE = join(REPO, 'scripts/generate.ts');
const SERVICES = ['auth', 'main', 'aura', 'gateway'] as const;
const secret = 's'.repeat(40);

let root: string;
/** The services whose stubs are compiled: the gateway's once its context module exists in the repo. */
const contexts: Record<string, { type: string; from: string }> = {
  auth: { type: 'RequestContext', from: '../shared/http/service-app' },
  main: { type: 'RequestContext', from: '../shared/http/service-app' },
  aura: { type: 'RequestContext', from: '../shared/http/service-app' },
};

function generate(...args: string[]): { status: number | null; output: string } {
  const env = { ...process.env };
  delete env.NODE_OPTIONS; // jest's --experimental-vm-modules is not the generator's business
  const r = spawnSync(process.execPath, ['--import', 'tsx', GENERATE, '--root', root, '--only', 'ts', ...args], {
    cwd: REPO,
    env,
    encoding: 'utf8',
    maxBuffer: 64 << 20,
  });
  return { status: r.status, output: `${r.stdout}${r.stderr}` };
}

/** The copy of openapi.yaml with one new operation, GET /api/main/widgets/{widgetId}. */
function specWithWidget(): string {
  const doc = YAML.parseDocument(readFileSync(join(REPO, 'openapi.yaml'), 'utf8'), { merge: true });
  doc.setIn(
    ['paths', '/api/main/widgets/{widgetId}'],
    doc.createNode({
      get: {
        operationId: 'GetWidget',
        'x-service': 'main',
        tags: ['cases'],
        summary: 'One widget (added by the handler-stub test).',
        parameters: [
          { name: 'widgetId', in: 'path', required: true, schema: { $ref: '#/components/schemas/Identifier' } },
          { $ref: '#/components/parameters/TenantIdHeader' },
        ],
        responses: {
          '200': { description: 'The widget.', content: { 'application/json': { schema: { $ref: '#/components/schemas/WidgetResponse' } } } },
          '400': { $ref: '#/components/responses/BadRequest' },
          '401': { $ref: '#/components/responses/Unauthorized' },
          '403': { $ref: '#/components/responses/Forbidden' },
          '404': { $ref: '#/components/responses/NotFound' },
        },
      },
    }),
  );
  doc.setIn(
    ['components', 'schemas', 'Widget'],
    doc.createNode({
      type: 'object',
      additionalProperties: false,
      required: ['widgetId', 'name'],
      properties: { widgetId: { $ref: '#/components/schemas/Identifier' }, name: { type: 'string' } },
    }),
  );
  doc.setIn(
    ['components', 'schemas', 'WidgetResponse'],
    doc.createNode({
      allOf: [
        { $ref: '#/components/schemas/SuccessEnvelope' },
        { type: 'object', required: ['data'], properties: { data: { $ref: '#/components/schemas/Widget' } } },
      ],
    }),
  );
  return doc.toString();
}

const stubsOf = (service: string) =>
  readdirSync(join(root, 'src', service, 'handlers'))
    .filter((f) => f.endsWith('.ts'))
    .map((f) => f.slice(0, -3))
    .sort();

/** A module that puts a service's stubs into its generated handlers interface (a missing one fails to compile). */
function wiring(service: string, ctx: { type: string; from: string }): string {
  const ids = stubsOf(service);
  const cap = service.charAt(0).toUpperCase() + service.slice(1);
  return (
    `import type { ${cap}Handlers } from '../../generated/server/operations';\n` +
    `import type { ${ctx.type} } from '${ctx.from}';\n` +
    ids.map((id) => `import { make${id} } from './handlers/${id}';\n`).join('') +
    `export const handlers: ${cap}Handlers<${ctx.type}> = {\n${ids.map((id) => `  ${id}: make${id}(),\n`).join('')}};\n`
  );
}

beforeAll(() => {
  root = mkdtempSync(join(tmpdir(), 'dwp-handler-stubs-'));
  writeFileSync(join(root, 'openapi.yaml'), specWithWidget());
  writeFileSync(join(root, 'asyncapi.yaml'), readFileSync(join(REPO, 'asyncapi.yaml'), 'utf8'));
  // What the stubs import besides the copy's own generated/: the shared code and the packages.
  mkdirSync(join(root, 'src'));
  symlinkSync(join(REPO, 'src/shared'), join(root, 'src/shared'), 'dir');
  symlinkSync(join(REPO, 'node_modules'), join(root, 'node_modules'), 'dir');
  const r = generate();
  if (r.status !== 0) throw new Error(`generate failed (${r.status}):\n${r.output}`);
  expect(r.output).toContain('wrote handler stub src/main/handlers/GetWidget.ts');
  if (existsSync(join(REPO, 'src/gateway/context.ts'))) {
    symlinkSync(join(REPO, 'src/gateway/context.ts'), join(root, 'src/gateway/context.ts'));
    contexts.gateway = { type: 'GatewayContext', from: './context' };
  }
  for (const [service, ctx] of Object.entries(contexts)) writeFileSync(join(root, 'src', service, 'stub-wiring.ts'), wiring(service, ctx));
}, 240_000);

afterAll(() => {
  if (root) rmSync(root, { recursive: true, force: true });
});

test('every operation of the copy gets a stub, in its own service folder', async () => {
  const { operations } = await import(join(root, 'generated/server/operations.ts'));
  for (const op of Object.values<{ operationId: string; service: string }>(operations)) {
    expect(existsSync(join(root, 'src', op.service, 'handlers', `${op.operationId}.ts`))).toBe(true);
  }
  expect(stubsOf('main')).toContain('GetWidget');
  const stub = readFileSync(join(root, 'src/main/handlers/GetWidget.ts'), 'utf8');
  expect(stub).toContain("import type { GetWidgetInput, GetWidgetOutput } from '../../../generated/server/operations';");
  expect(stub).toContain("throw new ApiError('E1000', 'GetWidget is not implemented', null, 501);");
  expect(readFileSync(join(root, 'src/gateway/handlers/GatewayHealth.ts'), 'utf8')).toContain("import type { GatewayContext } from '../context';");
});

test('the stubs compile (tsc, the repo tsconfig) into each service’s typed handlers object', () => {
  const files = Object.keys(contexts).flatMap((service) => [
    join(root, 'src', service, 'stub-wiring.ts'),
    ...stubsOf(service).map((id) => join(root, 'src', service, 'handlers', `${id}.ts`)),
  ]);
  const configPath = join(REPO, 'tsconfig.json');
  const config = ts.parseJsonConfigFileContent(ts.readConfigFile(configPath, ts.sys.readFile).config, ts.sys, REPO, undefined, configPath);
  const program = ts.createProgram(files, { ...config.options, noEmit: true });
  // The copy's files only: what the stubs import from the repo (src/shared) is the repo typecheck's business.
  const diagnostics = ts
    .getPreEmitDiagnostics(program)
    .filter((d) => !d.file || !relative(root, d.file.fileName).startsWith('..'));
  const text = ts.formatDiagnostics(diagnostics, { getCanonicalFileName: (f) => f, getCurrentDirectory: () => root, getNewLine: () => '\n' });
  expect(text).toBe('');
}, 240_000);

test('a service started from the stubs answers 501 E1000 for the new operation', async () => {
  const { operations } = await import(join(root, 'generated/server/operations.ts'));
  const { handlers } = await import(join(root, 'src/main/stub-wiring.ts'));
  const app = createServiceApp({
    service: 'main',
    handlers,
    logger: createLogger('test', 'silent'),
    jwtSecret: secret,
    contract: { operations, openapiPath: join(root, 'openapi.yaml') },
  });
  try {
    const base = await listen(app);
    const headers = authHeaders('u1', 'acme', { secret, ttlSeconds: 60 });
    const get = async (path: string) => {
      const res = await fetch(base + path, { headers });
      const body = await res.json();
      expect(V.ErrorEnvelope(body)).toBe(true);
      return { status: res.status, code: body.errorCode, message: body.message };
    };
    // An operation of both specs, then the one only the copy has (served through `contract`).
    expect(await get('/main/cases/c1')).toEqual({ status: 501, code: 'E1000', message: 'GetCase is not implemented' });
    expect(await get('/main/widgets/w1')).toEqual({ status: 501, code: 'E1000', message: 'GetWidget is not implemented' });
  } finally {
    await app.close();
  }
}, 60_000);

test('a second run never overwrites a handler file; --check fails while one is missing', () => {
  const edited = join(root, 'src/main/handlers/GetWidget.ts');
  const filledIn = readFileSync(edited, 'utf8').replace("throw new ApiError('E1000', 'GetWidget is not implemented', null, 501);", '// filled in by hand');
  writeFileSync(edited, filledIn);

  const clean = generate('--check');
  expect(clean.output).toContain('every operation has a handler file');
  expect(clean.status).toBe(0);

  rmSync(join(root, 'src/main/handlers/ListCases.ts'));
  const check = generate('--check');
  expect(check.status).not.toBe(0);
  expect(check.output).toContain('ListCases (main): create src/main/handlers/ListCases.ts');
  expect(check.output).toContain('npm run generate');

  const again = generate();
  expect(again.status).toBe(0);
  expect(again.output).toContain('wrote handler stub src/main/handlers/ListCases.ts');
  expect(again.output).not.toContain('GetWidget.ts');
  expect(readFileSync(edited, 'utf8')).toBe(filledIn);
}, 360_000);
