import type { ErrorObject } from 'ajv';
import type { FieldError } from '../errors';

/** Turns ajv errors into the per-field errors of an E4000 (`body.prompt`, `query.limit`, ...). */
export function toFieldErrors(where: string, errors: ErrorObject[] | null | undefined): FieldError[] {
  if (!errors) return [];
  const seen = new Set<string>();
  const out: FieldError[] = [];
  for (const e of errors) {
    let path = e.instancePath
      .split('/')
      .filter(Boolean)
      .map((p) => p.replace(/~1/g, '/').replace(/~0/g, '~'))
      .join('.');
    if (e.keyword === 'required') path = [path, (e.params as { missingProperty: string }).missingProperty].filter(Boolean).join('.');
    if (e.keyword === 'additionalProperties') {
      path = [path, (e.params as { additionalProperty: string }).additionalProperty].filter(Boolean).join('.');
    }
    const field = path ? `${where}.${path}` : where;
    const message =
      e.keyword === 'additionalProperties' ? 'is not allowed' : e.keyword === 'required' ? 'is required' : (e.message ?? 'is invalid');
    const key = `${field}|${message}`;
    if (seen.has(key)) continue;
    seen.add(key);
    out.push({ field, message, keyword: e.keyword });
  }
  return out;
}
