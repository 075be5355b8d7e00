// Route table of the brief, section 7, in priority order: the first matching prefix wins.
import { operations } from '../../generated/server/operations';

export type Upstream = 'aura' | 'main' | 'auth';

export const ROUTES: readonly { prefix: string; upstream: Upstream }[] = [
  { prefix: '/api/aura/hitl/', upstream: 'main' },
  { prefix: '/api/aura/', upstream: 'aura' },
  { prefix: '/api/auth/', upstream: 'auth' },
  { prefix: '/api/main/', upstream: 'main' },
];

const API_PREFIX = '/api';

export interface Route {
  upstream: Upstream;
  /** The path as the service serves it (`/api` stripped), still percent-encoded as received. */
  forwardPath: string;
}

/** The upstream for a (normalised) path and the path it is forwarded as, or null. */
export function resolveRoute(path: string): Route | null {
  for (const r of ROUTES) {
    if (path.startsWith(r.prefix)) return { upstream: r.upstream, forwardPath: path.slice(API_PREFIX.length) };
  }
  return null;
}

// Public paths come from the contract (operations with `security: []`) so a new public
// operation cannot be forgotten here. Exact matches only: a prefix would open everything below.
const PUBLIC = new Set(
  Object.values(operations)
    .filter((op) => op.public && !op.direct && op.service !== 'gateway')
    .map((op) => `${op.method} ${op.path}`),
);

/** No tenant and no token needed (login, health endpoints). */
export function isPublic(method: string, path: string): boolean {
  return PUBLIC.has(`${method === 'HEAD' ? 'GET' : method} ${path}`);
}

// Operations only services call (`x-audience: internal`): they are served on the services'
// own addresses, never through the gateway, which answers them like a path it does not know.
const INTERNAL: readonly { method: string; pattern: RegExp }[] = Object.values(operations)
  .filter((op) => op.audience === 'internal' && !op.direct)
  .map((op) => ({ method: op.method, pattern: new RegExp(`^${op.path.replace(/[.*+?^$()|[\]\\]/g, '\\$&').replace(/\{[A-Za-z0-9_]+\}/g, '[^/]+')}$`) }));

/** A service-to-service operation, which the gateway does not route from outside. */
export function isInternal(method: string, path: string): boolean {
  for (const op of INTERNAL) if (op.method === method && op.pattern.test(path)) return true;
  return false;
}

// Operations whose bodies may exceed the default limit (RAG documents).
const UPLOADS = new Set(['/api/aura/rag/documents']);

export function isUpload(path: string): boolean {
  return UPLOADS.has(path);
}
