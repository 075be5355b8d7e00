// The gateway's route table and what it knows of each proxied operation, all built from the
// generated operation table at load (openapi.yaml: `x-service`, `security: []`, `x-audience`,
// `x-direct`, `x-body-limit`; the routing rule is stated in its info.description), so a new
// operation needs nothing typed again here.
import { type BodyLimit, operations, type OperationSpec, type Service } from '../../generated/server/operations';
import { pathTemplate } from '../shared/http/path-template';

export type Upstream = Exclude<Service, 'gateway'>;

const API_PREFIX = '/api';
const UPSTREAMS: readonly string[] = ['aura', 'main', 'auth'] satisfies readonly Upstream[];

/** The operations the gateway forwards: every one not its own and not served directly. */
const PROXIED = (Object.values(operations) as OperationSpec[]).filter((op) => !op.direct && op.service !== 'gateway');

export interface RoutePrefix {
  prefix: string;
  upstream: Upstream;
}

/**
 * Path prefixes → upstream, longest first (the first match wins). `/api/<service>/` belongs to
 * that service; an operation of another service below it claims the shortest prefix of its
 * static segments that no other service's operation shares (the main service's
 * `/api/aura/hitl/...`). Throws when an operation cannot be routed to its own service.
 */
export function buildRoutes(ops: readonly OperationSpec[]): RoutePrefix[] {
  const byPrefix = new Map<string, Upstream>();
  for (const op of ops) {
    const upstream = op.service as Upstream;
    const segments = op.path.split('/');
    // '', 'api', the owner, then the rest; only whole static segments below make a prefix.
    if (segments[1] !== API_PREFIX.slice(1) || !UPSTREAMS.includes(segments[2]) || segments.length < 4) {
      throw new Error(`${op.operationId} (${op.path}) is not under ${API_PREFIX}/<service>/`);
    }
    let prefix = `${API_PREFIX}/${segments[2]}/`;
    if (segments[2] !== upstream) {
      // Below another service's prefix: deeper until no other service's operation shares it.
      let i = 3;
      do {
        if (i >= segments.length - 1 || segments[i].includes('{')) throw new Error(`${op.operationId} (${op.path}): no path prefix only ${upstream} serves`);
        prefix += `${segments[i++]}/`;
      } while (ops.some((o) => o.service !== upstream && o.path.startsWith(prefix)));
    }
    byPrefix.set(prefix, upstream);
  }
  return [...byPrefix]
    .map(([prefix, upstream]) => ({ prefix, upstream }))
    .sort((a, b) => b.prefix.length - a.prefix.length || (a.prefix < b.prefix ? -1 : 1));
}

export const ROUTES: readonly RoutePrefix[] = buildRoutes(PROXIED);

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

// Public paths: operations with `security: []`, so a new public operation cannot be forgotten
// here. Exact matches only: a prefix would open everything below.
const PUBLIC = new Set(PROXIED.filter((op) => op.public).map((op) => `${op.method} ${op.path}`));

/** No tenant and no token needed (login, health endpoints). */
export function isPublic(method: string, path: string): boolean {
  return PUBLIC.has(`${method === 'HEAD' ? 'GET' : method} ${path}`);
}

// Operations only services call (`x-audience: internal`): they are served on the services'
// own addresses, never through the gateway, which answers them like a path it does not know.
const INTERNAL: readonly { method: string; pattern: RegExp }[] = PROXIED.filter((op) => op.audience === 'internal').map((op) => ({
  method: op.method,
  pattern: pathTemplate(op.path).pattern,
}));

/** A service-to-service operation, which the gateway does not route from outside. */
export function isInternal(method: string, path: string): boolean {
  for (const op of INTERNAL) if (op.method === method && op.pattern.test(path)) return true;
  return false;
}

// Paths whose bodies may exceed the default limit (`x-body-limit`), matched exactly: a
// templated path would cost every proxied request a pattern match.
const BODY_LIMITS = new Map<string, BodyLimit>();
for (const op of PROXIED) {
  if (!op.bodyLimit) continue;
  if (op.path.includes('{')) throw new Error(`${op.operationId}: the gateway takes x-body-limit on fixed paths only (${op.path})`);
  BODY_LIMITS.set(op.path, op.bodyLimit);
}

/** The named body limit for requests to `path`, or 'default'. */
export function bodyLimitOf(path: string): BodyLimit | 'default' {
  return BODY_LIMITS.get(path) ?? 'default';
}

// Every operation reaches its own service, as the path it serves (checked once, here).
for (const op of PROXIED) {
  const concrete = op.path.replace(/\{[^}]+\}/g, 'x');
  const route = resolveRoute(concrete);
  if (route?.upstream !== op.service || route.forwardPath !== op.servicePath.replace(/\{[^}]+\}/g, 'x')) {
    throw new Error(`${op.operationId} (${op.path}) would be forwarded to ${route?.upstream ?? 'nothing'} as ${route?.forwardPath ?? '-'}`);
  }
}
