// `npm run contract:diff [ref]`: compares openapi.yaml and asyncapi.yaml in the working tree with
// their versions at a git ref (default: the last release tag `v*`, else HEAD) and fails on a
// breaking change. AsyncAPI also goes through @asyncapi/diff (its breaking list counts too).
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import { diff as asyncDiff } from '@asyncapi/diff';
import { asyncapiBreaking, openapiBreaking } from './contract-diff-core';

const root = path.resolve(__dirname, '..');
const git = (...args: string[]) => execFileSync('git', args, { cwd: root, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();

function defaultRef(): string {
  try {
    return git('describe', '--tags', '--abbrev=0', '--match', 'v*');
  } catch {
    return 'HEAD';
  }
}

export function breakingChanges(old: { openapi: string; asyncapi: string }, cur: { openapi: string; asyncapi: string }): string[] {
  const oa = [parse(old.openapi), parse(cur.openapi)];
  const aa = [parse(old.asyncapi), parse(cur.asyncapi)];
  const out = [...openapiBreaking(oa[0], oa[1]).map((c) => `openapi.yaml: ${c}`), ...asyncapiBreaking(aa[0], aa[1]).map((c) => `asyncapi.yaml: ${c}`)];
  try {
    const res = asyncDiff(aa[0], aa[1]);
    for (const c of res.breaking() as { action: string; path: string }[]) out.push(`asyncapi.yaml (@asyncapi/diff): ${c.action} ${c.path}`);
  } catch (err) {
    out.push(`asyncapi.yaml: @asyncapi/diff could not compare the documents: ${(err as Error).message}`);
  }
  return [...new Set(out)];
}

if (require.main === module) {
  const ref = process.argv[2] ?? defaultRef();
  const at = (f: string) => git('show', `${ref}:${f}`);
  const now = (f: string) => readFileSync(path.join(root, f), 'utf8');
  const changes = breakingChanges({ openapi: at('openapi.yaml'), asyncapi: at('asyncapi.yaml') }, { openapi: now('openapi.yaml'), asyncapi: now('asyncapi.yaml') });
  if (changes.length) {
    console.error(`contract:diff against ${ref}: ${changes.length} breaking change(s)\n${changes.map((c) => `  ✗ ${c}`).join('\n')}`);
    process.exit(1);
  }
  console.log(`contract:diff against ${ref}: no breaking change`);
}
