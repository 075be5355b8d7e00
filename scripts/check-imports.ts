// `npm run check:imports`: no import loop in src/. Fails (exit 1, naming the loop) on
//  (a) a file-level cycle: a.ts imports b.ts, which imports a.ts back (directly or further round);
//  (b) a folder-level cycle: each file collapsed to its module, the first folder below its service
//      (`src/main/hitl/decide.ts` → `src/main/hitl`; a file directly in `src/main/` stays itself),
//      and the modules must import one way only. Type-only imports count: they are loops too.
//      A test file (`*.test.ts`) is left out of (b): it stands above what it tests, importing anything.
import path from 'node:path';

type Graph = Record<string, string[]>;

// madge ships no types (and @types/madge is not installed): the two calls this script makes.
interface MadgeResult {
  obj(): Graph;
  circular(): string[][];
}
const madge = require('madge') as (paths: string[], config: Record<string, unknown>) => Promise<MadgeResult>;

const root = path.resolve(__dirname, '..');

/** `src/<service>/<folder>` for a file in a folder below its service, else the file itself. */
function moduleOf(file: string): string {
  const parts = file.split('/');
  return parts[0] === 'src' && parts.length > 3 ? parts.slice(0, 3).join('/') : file;
}

/** The module graph, with one file-level import standing for each edge (to name it). */
function moduleGraph(files: Graph): Map<string, Map<string, string>> {
  const g = new Map<string, Map<string, string>>();
  for (const [file, deps] of Object.entries(files)) {
    if (!file.startsWith('src/') || /\.test\.ts$/.test(file)) continue;
    const from = moduleOf(file);
    const edges = g.get(from) ?? new Map<string, string>();
    g.set(from, edges);
    for (const dep of deps) {
      const to = moduleOf(dep);
      if (!dep.startsWith('src/') || to === from || edges.has(to)) continue;
      edges.set(to, `${file} → ${dep}`);
    }
  }
  return g;
}

/** One cycle per strongly connected group of modules (Tarjan), as the path round it. */
function moduleCycles(g: Map<string, Map<string, string>>): { group: string[]; cycle: string[] }[] {
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const groups: string[][] = [];
  const visit = (v: string) => {
    index.set(v, index.size);
    low.set(v, index.get(v)!);
    stack.push(v);
    onStack.add(v);
    for (const w of g.get(v)?.keys() ?? []) {
      if (!index.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v)!, low.get(w)!));
      } else if (onStack.has(w)) low.set(v, Math.min(low.get(v)!, index.get(w)!));
    }
    if (low.get(v) !== index.get(v)) return;
    const group: string[] = [];
    let w: string;
    do {
      w = stack.pop()!;
      onStack.delete(w);
      group.push(w);
    } while (w !== v);
    if (group.length > 1) groups.push(group);
  };
  for (const v of [...g.keys()].sort()) if (!index.has(v)) visit(v);
  return groups.map((group) => {
    const members = new Set(group);
    const ways = group.sort().map((m) => cycleThrough(g, members, m));
    return { group, cycle: ways.reduce((a, b) => (b.length < a.length ? b : a)) };
  });
}

/** The shortest way from `start` round to itself inside its group (breadth first): the modules in order. */
function cycleThrough(g: Map<string, Map<string, string>>, group: Set<string>, start: string): string[] {
  const prev = new Map<string, string>();
  const queue = [start];
  while (queue.length > 0) {
    const v = queue.shift()!;
    for (const w of g.get(v)?.keys() ?? []) {
      if (w === start) {
        const way = [v];
        while (way[0] !== start) way.unshift(prev.get(way[0]!)!);
        return way;
      }
      if (!group.has(w) || prev.has(w)) continue;
      prev.set(w, v);
      queue.push(w);
    }
  }
  return [start];
}

async function main(): Promise<void> {
  const res = await madge(['src'], {
    baseDir: root,
    fileExtensions: ['ts'],
    tsConfig: path.join(root, 'tsconfig.json'),
    detectiveOptions: { ts: { skipTypeImports: false } },
  });
  const files = res.obj();
  const problems: string[] = [];
  for (const cycle of res.circular()) problems.push(`file-level import cycle: ${[...cycle, cycle[0]].join(' → ')}`);
  const g = moduleGraph(files);
  for (const { group, cycle } of moduleCycles(g)) {
    const steps = cycle.map((m, i) => `    ${g.get(m)!.get(cycle[(i + 1) % cycle.length]!)}`);
    const others = group.length > cycle.length ? `\n  (the loop joins ${group.length} modules: ${group.join(', ')})` : '';
    problems.push(`folder-level import cycle: ${[...cycle, cycle[0]].join(' → ')}\n${steps.join('\n')}${others}`);
  }
  const count = Object.keys(files).filter((f) => f.startsWith('src/')).length;
  if (problems.length > 0) {
    console.error(`✗ check:imports: ${problems.length} import loop(s) in src/ (${count} files):\n\n${problems.join('\n\n')}`);
    console.error('\nMake the imports point one way: move what both sides need below both, or pass it in from above.');
    process.exit(1);
  }
  console.log(`✓ check:imports: no import loop in src/ (${count} files, ${g.size} modules)`);
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
