// The built web workbench, served by the gateway so the browser talks to one origin (no CORS,
// the token never crosses origins). The dist is small and immutable for the life of a process:
// it is read once into memory, and a request can only ever name a file found by that one read,
// so no request path is ever joined onto a directory.
import { type Dirent, readdirSync, readFileSync } from 'node:fs';
import type { IncomingHttpHeaders } from 'node:http';
import { extname, join } from 'node:path';
import { operations } from '../../generated/server/operations';
import { ApiError } from '../shared/errors';
import { answerFile, REVALIDATE, type StaticAnswer, type StaticFile, staticFile } from './static-files';

const validAssetName = operations.WorkbenchAsset.validate.params;

/** Scripts, styles and API calls from this origin only; nothing may frame the workbench. */
export const WORKBENCH_CSP =
  "default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; connect-src 'self'; " +
  "frame-ancestors 'none'; base-uri 'none'; form-action 'self'";

// Vite names every asset after its content hash, so a name never changes meaning.
const IMMUTABLE = 'public, max-age=31536000, immutable';

// A missing dist is retried at most this often, so a client polling an unbuilt gateway does
// not turn into a disk read per request, while a build finished after start-up is picked up.
const RETRY_MS = 1000;

interface Dist {
  index: StaticFile;
  assets: Map<string, StaticFile>;
}

function load(dir: string): Dist {
  const index = readFileSync(join(dir, 'index.html'));
  const assets = new Map<string, StaticFile>();
  let entries: Dirent[] = [];
  try {
    entries = readdirSync(join(dir, 'assets'), { withFileTypes: true });
  } catch (err) {
    // A page without assets is unusual but valid; anything but absence is a real problem.
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
  }
  // Dirent types come from lstat: symlinks and folders are not files here, so nothing
  // reachable through a link (possibly outside the dist) is ever loaded.
  const files = new Set(entries.filter((e) => e.isFile()).map((e) => e.name));
  for (const name of files) {
    if (name.endsWith('.gz') && files.has(name.slice(0, -3))) continue; // served as its sibling's encoding
    if (!validAssetName({ asset: name })) continue;
    const path = join(dir, 'assets', name);
    const sibling = files.has(`${name}.gz`) ? readFileSync(`${path}.gz`) : null;
    assets.set(name, staticFile(readFileSync(path), extname(name).toLowerCase(), { cacheControl: IMMUTABLE }, sibling));
  }
  return { index: staticFile(index, '.html', { cacheControl: REVALIDATE, headers: { 'content-security-policy': WORKBENCH_CSP } }), assets };
}

/** The workbench's files; each answer is a file, a 304, or a thrown ApiError (404, 503 unbuilt). */
export interface Workbench {
  /** `index.html` (for `/` and `/index.html`). */
  index(headers: IncomingHttpHeaders): StaticAnswer;
  /** A file of `assets/`, by its name as received (still percent-encoded). */
  asset(name: string, headers: IncomingHttpHeaders): StaticAnswer;
}

export function createWorkbench(dir: string, opts: { warn?: (msg: string) => void; now?: () => number } = {}): Workbench {
  const now = opts.now ?? Date.now;
  let dist: Dist | null = null;
  let retryAt = 0;
  let warned = false;

  function current(): Dist {
    if (!dist && now() >= retryAt) {
      try {
        dist = load(dir);
      } catch (err) {
        retryAt = now() + RETRY_MS;
        if (!warned) opts.warn?.(`workbench not served from ${dir}: ${(err as Error).message}`);
        warned = true;
      }
    }
    if (!dist) throw new ApiError('E1000', 'The workbench is not built: run `npm run build:web` (or `npm start`, which builds it)', null, 503);
    return dist;
  }

  return {
    index(headers) {
      return answerFile(current().index, headers);
    },
    asset(name, headers) {
      // Raw, still percent-encoded: only names read from the folder that pass the contract's
      // pattern (no `%`, `/` or leading dot) are in the map, so the lookup is the whole check.
      const file = current().assets.get(name);
      if (!file) throw new ApiError('E1004', 'No such workbench asset');
      return answerFile(file, headers);
    },
  };
}
