// `npm run generate`: builds everything in generated/ from openapi.yaml and asyncapi.yaml.
// `--check` regenerates in memory and fails on any difference (CI's drift check).
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { loadSpecs } from './codegen/spec';
import { emitValidators } from './codegen/validators';
import { BANNER, emitContract, emitRedis, emitSchemaTypes, emitServer } from './codegen/emit-ts';
import { emitSdk } from './codegen/emit-sdk';
import { emitServiceClient } from './codegen/emit-service-client';
import { emitDocs } from './codegen/emit-docs';
import { emitClients } from './codegen/clients';
import { emitMessageModels } from './codegen/messages';

const ROOT = join(__dirname, '..');
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
    'redis.ts': emitRedis(spec),
    ...emitValidators(spec),
    ...emitSdk(spec, ROOT),
    ...emitServiceClient(spec),
    'docs/index.html': emitDocs(spec),
    // The Java and Python clients (openapi-generator-cli) with the message models (Modelina) inside them.
    ...emitClients(ROOT),
    ...(await emitMessageModels(spec)),
  };

  if (check) {
    const problems: string[] = [];
    for (const [rel, content] of Object.entries(files)) {
      const p = join(OUT, rel);
      if (!existsSync(p)) problems.push(`missing: generated/${rel}`);
      else if (readFileSync(p, 'utf8') !== content) problems.push(`differs: generated/${rel}`);
    }
    for (const rel of listFiles(OUT)) if (!(rel in files)) problems.push(`not generated (stale or hand-written): generated/${rel}`);
    if (problems.length) {
      console.error(`generated/ is out of date with the specs — run \`npm run generate\` and commit:\n  ${problems.join('\n  ')}`);
      process.exit(1);
    }
    console.log(`generated/ matches openapi.yaml and asyncapi.yaml (${Object.keys(files).length} files)`);
    return;
  }

  rmSync(OUT, { recursive: true, force: true });
  for (const [rel, content] of Object.entries(files)) {
    const p = join(OUT, rel);
    mkdirSync(dirname(p), { recursive: true });
    writeFileSync(p, content);
  }
  console.log(`generated ${Object.keys(files).length} files: ${spec.operations.length} operations, ${Object.keys(spec.schemas).length} schemas, ${spec.channels.length} channels, ${spec.redisKeys.length} keys`);
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
