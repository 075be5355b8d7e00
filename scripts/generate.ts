// `npm run generate`: builds everything in generated/ from openapi.yaml and asyncapi.yaml.
// `--check` regenerates in memory and fails on any difference (CI's drift check).
// It also writes a handler stub for each operation without a handler file (src/<service>/handlers/<OperationId>.ts;
// never overwrites one), and `--check` fails while one is missing.
// `--root <dir>`: the specs, generated/ and src/ of another tree (a copy of the repo; default this repo).
// `--only ts`: only the TypeScript outputs (skips the Java/Python clients, their message models and the HTML docs,
// which are left as they are).
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { loadSpecs } from './codegen/spec';
import { emitValidators } from './codegen/validators';
import { BANNER, emitContract, emitSchemaTypes, emitServer } from './codegen/emit-ts';
import { emitSdk } from './codegen/emit-sdk';
import { emitServiceClient } from './codegen/emit-service-client';
import { emitClients } from './codegen/clients';
import { emitMessageModels } from './codegen/messages';
import { renderAsyncapiDocs, renderRedisModule } from './codegen/asyncapi-generator';
import { missingHandlers, missingHandlersMessage, writeHandlerStubs } from './codegen/handler-stubs';

function argValue(flag: string): string | undefined {
  const i = process.argv.indexOf(flag);
  if (i < 0) return undefined;
  const v = process.argv[i + 1];
  if (v === undefined || v.startsWith('--')) throw new Error(`${flag} needs a value`);
  return v;
}

/** This repo: the generator's own templates. */
const REPO = join(__dirname, '..');
const ROOT = resolve(argValue('--root') ?? REPO);
const ONLY = argValue('--only');
if (ONLY !== undefined && ONLY !== 'ts') throw new Error(`--only ${ONLY}: the only subset is \`ts\``);
const ONLY_TS = ONLY === 'ts';
/** What `--only ts` neither emits nor checks nor deletes. */
const NOT_TS = /^(clients|docs)\//;
const OUT = join(ROOT, 'generated');

async function openapiTypes(): Promise<string> {
  // openapi-typescript is ESM-only; Node 20.19+ loads it from CommonJS through import().
  const { default: openapiTS, astToString } = await import('openapi-typescript');
  const ast = await openapiTS(new URL(`file://${join(ROOT, 'openapi.yaml')}`), { alphabetize: true });
  return BANNER + '/* eslint-disable */\n' + astToString(ast);
}

// What building or installing a client leaves in its folder (`mvn install`, `pip install ./generated/clients/python`).
const BUILD_OUTPUT = /^(target|build|__pycache__|.*\.egg-info)$/;

function listFiles(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir).flatMap((name) => {
    if (BUILD_OUTPUT.test(name) && relative(OUT, dir).startsWith('clients')) return [];
    const p = join(dir, name);
    return statSync(p).isDirectory() ? listFiles(p) : [relative(OUT, p)];
  });
}

async function main() {
  const check = process.argv.includes('--check');
  const spec = loadSpecs(ROOT);
  const files: Record<string, string> = {
    'openapi-types.ts': await openapiTypes(),
    'schemas.ts': emitSchemaTypes(spec),
    'contract.ts': emitContract(spec),
    'server/operations.ts': emitServer(spec),
    // @asyncapi/generator 2.x with scripts/codegen/asyncapi-template.
    ...(await renderRedisModule(ROOT)),
    ...emitValidators(spec),
    ...emitSdk(spec, REPO),
    ...emitServiceClient(spec),
    // The Java and Python clients (openapi-generator-cli) with the message models (Modelina) inside them.
    ...(ONLY_TS ? {} : emitClients(ROOT)),
    ...(ONLY_TS ? {} : await emitMessageModels(spec)),
    // docs/asyncapi/: index.html, css/, js/ (@asyncapi/generator 2.x with @asyncapi/html-template).
    ...(ONLY_TS ? {} : renderAsyncapiDocs(ROOT)),
  };

  if (check) {
    const problems: string[] = [];
    for (const [rel, content] of Object.entries(files)) {
      const p = join(OUT, rel);
      if (!existsSync(p)) problems.push(`missing: generated/${rel}`);
      else if (readFileSync(p, 'utf8') !== content) problems.push(`differs: generated/${rel}`);
    }
    for (const rel of listFiles(OUT)) if (!(rel in files) && !(ONLY_TS && NOT_TS.test(rel))) problems.push(`not generated (stale or hand-written): generated/${rel}`);
    if (problems.length) {
      console.error(`generated/ is out of date with the specs — run \`npm run generate\` and commit:\n  ${problems.join('\n  ')}`);
    }
    const missing = missingHandlers(spec, ROOT);
    if (missing.length) console.error(missingHandlersMessage(missing));
    if (problems.length || missing.length) process.exit(1);
    console.log(`generated/ matches openapi.yaml and asyncapi.yaml (${Object.keys(files).length} files); every operation has a handler file`);
    return;
  }

  if (ONLY_TS) {
    for (const rel of listFiles(OUT)) if (!NOT_TS.test(rel)) rmSync(join(OUT, rel));
  } else rmSync(OUT, { recursive: true, force: true });
  for (const [rel, content] of Object.entries(files)) {
    const p = join(OUT, rel);
    mkdirSync(dirname(p), { recursive: true });
    writeFileSync(p, content);
  }
  console.log(`generated ${Object.keys(files).length} files: ${spec.operations.length} operations, ${Object.keys(spec.schemas).length} schemas, ${spec.channels.length} channels, ${spec.redisKeys.length} keys`);
  for (const h of writeHandlerStubs(spec, ROOT)) {
    console.log(`wrote handler stub ${h.file} (${h.operationId} answers 501 until you fill it in and wire it in src/${h.service}/app.ts)`);
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
