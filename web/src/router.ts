// Hash routes (`#/cases/CASE-1`): the gateway serves one page at `/`, and a reload or a shared
// link still lands on the same screen.
import { useSyncExternalStore } from 'react';

/** `stream`: an agent run on the case to follow (a link another user shared). */
export type Route =
  | { name: 'cases'; status?: string }
  | { name: 'case'; caseId: string; stream?: string }
  /** The approvals inbox; `tab: 'expired'` is the Timed out tab. */
  | { name: 'approvals'; tab?: 'expired' };

function parse(hash: string): Route {
  const [path, query = ''] = hash.replace(/^#/, '').split('?');
  const q = new URLSearchParams(query);
  const m = /^\/cases\/([^/]+)$/.exec(path);
  if (m) return { name: 'case', caseId: decodeURIComponent(m[1]), stream: q.get('stream') ?? undefined };
  if (path === '/approvals') return q.get('tab') === 'expired' ? { name: 'approvals', tab: 'expired' } : { name: 'approvals' };
  const status = q.get('status') ?? undefined;
  return { name: 'cases', status };
}

function subscribe(l: () => void): () => void {
  addEventListener('hashchange', l);
  return () => removeEventListener('hashchange', l);
}

export function useRoute(): Route {
  const hash = useSyncExternalStore(subscribe, () => location.hash);
  return parse(hash);
}

export function href(route: Route): string {
  if (route.name === 'approvals') return route.tab ? `#/approvals?tab=${route.tab}` : '#/approvals';
  if (route.name === 'case') return `#/cases/${encodeURIComponent(route.caseId)}${route.stream ? `?stream=${encodeURIComponent(route.stream)}` : ''}`;
  return route.status ? `#/cases?status=${encodeURIComponent(route.status)}` : '#/cases';
}

export function navigate(route: Route): void {
  location.hash = href(route);
}
