// Route table of the brief, section 7, in priority order: the first matching prefix wins.
export type Upstream = 'aura' | 'main' | 'auth';

export const ROUTES: readonly { prefix: string; upstream: Upstream }[] = [
  { prefix: '/api/aura/hitl/', upstream: 'main' },
  { prefix: '/api/aura/', upstream: 'aura' },
  { prefix: '/api/auth/', upstream: 'auth' },
  { prefix: '/api/main/', upstream: 'main' },
];

/** The upstream for a path and the path it is forwarded as (`/api` stripped), or null. */
export function resolveRoute(path: string): { upstream: Upstream; forwardPath: string } | null {
  for (const r of ROUTES) {
    if (path.startsWith(r.prefix)) return { upstream: r.upstream, forwardPath: path.slice('/api'.length) };
  }
  return null;
}
