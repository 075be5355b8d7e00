// Hostile paths are rejected before routing, not "cleaned": a path the gateway rewrote could
// route differently here than the upstream's own decoding would, which is how `..` and
// encoded slashes slip past a prefix-based route table.

export type PathCheck = { ok: true; path: string; query: string } | { ok: false; reason: string };

const MAX_URL_LENGTH = 8192;
// Controls (incl. NUL, CR, LF, DEL) and the backslash some servers treat as a separator.
// eslint-disable-next-line no-control-regex
const FORBIDDEN_DECODED = /[\u0000-\u001f\u007f\\/]/;

/** Splits a request target into path and query, rejecting anything that could escape its route. */
export function checkRequestTarget(target: string | undefined): PathCheck {
  if (!target || target[0] !== '/') return { ok: false, reason: 'request target must be an absolute path' };
  if (target.length > MAX_URL_LENGTH) return { ok: false, reason: 'request target too long' };
  const q = target.indexOf('?');
  const path = q === -1 ? target : target.slice(0, q);
  const query = q === -1 ? '' : target.slice(q + 1);
  if (path.includes('#')) return { ok: false, reason: 'fragment in request target' };
  const segments = path.split('/');
  // segments[0] is the empty string before the leading slash.
  for (let i = 1; i < segments.length; i++) {
    const raw = segments[i];
    if (raw === '' && i < segments.length - 1) return { ok: false, reason: 'empty path segment' };
    let decoded: string;
    try {
      decoded = raw.includes('%') ? decodeURIComponent(raw) : raw;
    } catch {
      return { ok: false, reason: 'malformed percent-encoding in path' };
    }
    if (decoded === '.' || decoded === '..') return { ok: false, reason: 'dot segment in path' };
    if (FORBIDDEN_DECODED.test(decoded)) return { ok: false, reason: 'encoded slash, backslash or control character in path' };
  }
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u0020\u007f]/.test(query)) return { ok: false, reason: 'control character in query' };
  return { ok: true, path, query };
}
