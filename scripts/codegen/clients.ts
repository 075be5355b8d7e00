// The Java and Python clients: @openapitools/openapi-generator-cli (settings in openapitools.json) writes them
// into a temporary folder, whose files become generated/clients/{java,python}/... like every other output.
import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdtempSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync, mkdirSync } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import { join, relative, resolve } from 'node:path';

interface GeneratorCliConfig {
  'generator-cli': { version: string; storageDir: string };
}

const WRAPPER = ['node_modules', '@openapitools', 'openapi-generator-cli', 'main.js'];

function generatorJar(root: string): { version: string; jar: string; storage: string } {
  const config = JSON.parse(readFileSync(join(root, 'openapitools.json'), 'utf8')) as GeneratorCliConfig;
  const { version, storageDir } = config['generator-cli'];
  const storage = resolve(root, storageDir.replace('~', homedir()));
  return { version, storage, jar: join(storage, `${version}.jar`) };
}

function run(root: string, cmd: string, args: string[], env: Record<string, string> = {}): { ok: boolean; output: string } {
  // The wrapper resolves openapitools.json and relative paths from $PWD.
  const r = spawnSync(cmd, args, { cwd: root, env: { ...process.env, PWD: root, ...env }, encoding: 'utf8', maxBuffer: 64 << 20 });
  return { ok: r.status === 0, output: `${r.stdout ?? ''}${r.stderr ?? ''}${r.error ? String(r.error) : ''}` };
}

/** The pinned generator jar, downloaded once into the wrapper's storage folder (by the wrapper, else through Maven). */
export function ensureGeneratorJar(root: string): string {
  const { version, jar, storage } = generatorJar(root);
  if (existsSync(jar)) return jar;
  // Any wrapper command downloads the selected version first.
  const viaWrapper = run(root, process.execPath, [join(root, ...WRAPPER), 'version']);
  if (existsSync(jar)) return jar;
  console.warn(`openapi-generator-cli could not download ${version}; fetching it through Maven (${viaWrapper.output.split('\n').find((l) => l.includes('Download failed')) ?? 'no jar'})`);
  const viaMaven = run(root, 'mvn', ['-q', '-B', 'dependency:copy', `-Dartifact=org.openapitools:openapi-generator-cli:${version}:jar`, `-DoutputDirectory=${storage}`]);
  const copied = join(storage, `openapi-generator-cli-${version}.jar`);
  if (!viaMaven.ok || !existsSync(copied)) throw new Error(`could not fetch openapi-generator-cli ${version}:\n${viaMaven.output}`);
  renameSync(copied, jar);
  return jar;
}

/**
 * openapi-generator's python generator writes a boolean `const`/`enum` (our envelopes' `success: true`) as the
 * string 'true', so every envelope would fail its own validator. Its template is patched here (from the pinned
 * jar, at generation time) to compare booleans as booleans; the output itself is never edited.
 */
function pythonTemplates(jar: string, dir: string): void {
  const r = spawnSync('unzip', ['-p', jar, 'python/model_generic.mustache'], { encoding: 'utf8', maxBuffer: 16 << 20 });
  let template = r.status === 0 ? r.stdout : '';
  if (!template) {
    // No unzip on the machine: Java can read its own jar.
    const j = spawnSync('jar', ['xf', jar, 'python/model_generic.mustache'], { cwd: dir, encoding: 'utf8' });
    const p = join(dir, 'python', 'model_generic.mustache');
    if (j.status !== 0 || !existsSync(p)) throw new Error(`cannot read python/model_generic.mustache from ${jar}`);
    template = readFileSync(p, 'utf8');
    rmSync(join(dir, 'python'), { recursive: true, force: true });
  }
  const enumCheck = 'if value not in set([{{#allowableValues}}{{#enumVars}}{{{value}}}{{^-last}}, {{/-last}}{{/enumVars}}{{/allowableValues}}]):';
  const count = template.split(enumCheck).length - 1;
  if (count < 1) throw new Error('python/model_generic.mustache changed: the boolean-enum patch no longer applies');
  const patched = template
    .split(enumCheck)
    .join(
      'if {{#isBoolean}}str(value).lower(){{/isBoolean}}{{^isBoolean}}value{{/isBoolean}} not in set([{{#allowableValues}}{{#enumVars}}{{{value}}}{{^-last}}, {{/-last}}{{/enumVars}}{{/allowableValues}}]):',
    );
  writeFileSync(join(dir, 'model_generic.mustache'), patched);
}

function readTree(dir: string, prefix: string, out: Record<string, string>): void {
  const walk = (d: string): void => {
    for (const name of readdirSync(d).sort()) {
      const p = join(d, name);
      if (statSync(p).isDirectory()) walk(p);
      else out[`${prefix}/${relative(dir, p)}`] = readFileSync(p, 'utf8');
    }
  };
  walk(dir);
}

/** Runs both generators (the wrapper runs the `generators` of openapitools.json side by side). */
export function emitClients(root: string): Record<string, string> {
  const jar = ensureGeneratorJar(root);
  const tmp = mkdtempSync(join(tmpdir(), 'dwp-clients-'));
  try {
    const templates = join(tmp, 'python-templates');
    mkdirSync(templates);
    pythonTemplates(jar, templates);
    const out = join(tmp, 'out');
    // The generator honours an ignore file it finds in its output folder (its --ignore-file-override does not
    // skip supporting files); ours say which of its files the clients do not keep.
    for (const lang of ['java', 'python']) {
      mkdirSync(join(out, lang), { recursive: true });
      copyFileSync(join(__dirname, 'clients', `${lang}.openapi-generator-ignore`), join(out, lang, '.openapi-generator-ignore'));
    }
    const r = run(root, process.execPath, [join(root, ...WRAPPER), 'generate'], { DWP_CLIENTS_OUT: out, DWP_CLIENTS_PY_TEMPLATES: templates });
    if (!r.ok) throw new Error(`openapi-generator-cli failed:\n${r.output}`);
    const files: Record<string, string> = {};
    for (const lang of ['java', 'python']) {
      if (!existsSync(join(out, lang))) throw new Error(`openapi-generator-cli wrote no ${lang} client:\n${r.output}`);
      readTree(join(out, lang), `clients/${lang}`, files);
    }
    return files;
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
}
