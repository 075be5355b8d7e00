// Path templates of openapi.yaml (`/main/cases/{caseId}`): each `{name}` stands for one segment.
const PARAM = /\{([A-Za-z0-9_]+)\}/g;

/** The template as an anchored pattern capturing each parameter's segment, with the names in order. */
export function pathTemplate(template: string): { pattern: RegExp; names: string[] } {
  const names = [...template.matchAll(PARAM)].map((m) => m[1]!);
  const source = template
    .split(/\{[A-Za-z0-9_]+\}/)
    .map((part) => part.replace(/[.*+?^$()|[\]\\]/g, '\\$&'))
    .join('([^/]+)');
  return { pattern: new RegExp(`^${source}$`), names };
}

/** The template in express's route syntax (`/main/cases/:caseId`). */
export function expressPath(template: string): string {
  return template.replace(PARAM, ':$1');
}
