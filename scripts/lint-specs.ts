// `npm run lint:specs`: Redocly lint of openapi.yaml, the AsyncAPI parser's validation of
// asyncapi.yaml, known `x-audience` values, and every `example` in both specs validated against
// its schema.
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import YAML from 'yaml';
import { Parser, fromFile } from '@asyncapi/parser';
import Ajv2020 from 'ajv/dist/2020';
import addFormats from 'ajv-formats';
import { loadSpecs, X_AUDIENCE_VALUES } from './codegen/spec';
import { toAjvSchema } from './codegen/validators';

const ROOT = join(__dirname, '..');
let failures = 0;
const fail = (msg: string) => {
  failures++;
  console.error(`✗ ${msg}`);
};

function redocly(): void {
  const r = spawnSync(process.execPath, [require.resolve('@redocly/cli/bin/cli.js'), 'lint', 'openapi.yaml', '--format=stylish'], {
    cwd: ROOT,
    encoding: 'utf8',
  });
  const out = `${r.stdout}${r.stderr}`.split('\n').filter((l) => /error|warning|valid|Woohoo/i.test(l) && !/Node\.js|║/.test(l));
  console.log(out.join('\n'));
  if (r.status !== 0) fail('redocly lint found errors in openapi.yaml');
  else console.log('✓ openapi.yaml: redocly lint, no errors');
}

async function asyncapi(): Promise<void> {
  const parser = new Parser();
  const { document, diagnostics } = await fromFile(parser, join(ROOT, 'asyncapi.yaml')).parse();
  // Severity 0 is an error; 1–3 are warnings, infos and hints.
  const errors = diagnostics.filter((d) => d.severity === 0);
  for (const d of diagnostics) console.log(`  asyncapi ${d.severity === 0 ? 'error' : 'note'} ${d.code}: ${d.message} at ${d.path.join('.')}`);
  if (!document || errors.length) fail('asyncapi.yaml does not validate');
  else console.log('✓ asyncapi.yaml: parser validation, no errors');
}

/** Read from the YAML itself: the generator's loader would stop at the first bad value. */
function audiences(): void {
  const openapi = YAML.parse(readFileSync(join(ROOT, 'openapi.yaml'), 'utf8'));
  const before = failures;
  for (const [path, item] of Object.entries<any>(openapi.paths)) {
    for (const [method, op] of Object.entries<any>(item)) {
      const a = op?.['x-audience'];
      if (a === undefined) continue;
      const where = `${method.toUpperCase()} ${path}`;
      if (!X_AUDIENCE_VALUES.includes(a)) fail(`${where}: x-audience ${JSON.stringify(a)} is not one of ${X_AUDIENCE_VALUES.join(', ')}`);
      else if (Array.isArray(op.security) && op.security.length === 0) fail(`${where}: x-audience ${a} contradicts security: []`);
    }
  }
  if (failures === before) console.log('✓ x-audience values are known');
}

function examples(): void {
  const spec = loadSpecs(ROOT);
  const ajv = new Ajv2020({ strict: true, allowUnionTypes: true, allErrors: true, discriminator: true });
  addFormats(ajv);
  const defs: Record<string, unknown> = {};
  for (const [n, s] of Object.entries(spec.schemas)) defs[n] = toAjvSchema(s);
  ajv.addSchema({ $id: 'dwp', $defs: defs });
  let checked = 0;
  const check = (where: string, schema: unknown, example: unknown) => {
    const v = ajv.compile(toAjvSchema(schema));
    checked++;
    if (!v(example)) fail(`${where}: example does not match its schema: ${ajv.errorsText(v.errors)}`);
  };
  for (const [name, s] of Object.entries<any>(spec.schemas)) if ('example' in s) check(`schema ${name}`, { $ref: `#/components/schemas/${name}` }, s.example);
  for (const [path, item] of Object.entries<any>(spec.openapi.paths)) {
    for (const [method, op] of Object.entries<any>(item)) {
      const media = op?.requestBody?.content?.['application/json'];
      if (media && 'example' in media) check(`${method.toUpperCase()} ${path} request`, media.schema, media.example);
    }
  }
  for (const [name, m] of Object.entries<any>(spec.asyncapi.components.messages)) {
    for (const ex of m.examples ?? []) check(`message ${name}`, m.payload, ex.payload);
  }
  if (checked === 0) fail('no examples found: the check would prove nothing');
  console.log(`✓ ${checked} examples checked against their schemas`);
}

async function main() {
  redocly();
  await asyncapi();
  audiences();
  examples();
  if (failures) {
    console.error(`spec lint: ${failures} problem(s)`);
    process.exit(1);
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
