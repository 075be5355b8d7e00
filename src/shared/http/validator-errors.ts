// express-openapi-validator's errors as the contract's envelope codes.
import { ApiError, type FieldError } from '../errors';

interface EovError {
  status?: number;
  message?: string;
  path?: string;
  errors?: { path?: string; message?: string; errorCode?: string }[];
}

function isEovError(err: unknown): err is EovError & Error {
  const e = err as EovError;
  return err instanceof Error && typeof e.status === 'number' && Array.isArray(e.errors);
}

/** `/body/items/0/name` → `body.items.0.name` (the field names the E4000 envelope uses). */
function fieldOf(path: string | undefined): string {
  if (!path) return 'request';
  return path
    .split(/[/.]/)
    .filter(Boolean)
    .map((p) => p.replace(/~1/g, '/').replace(/~0/g, '~'))
    .join('.');
}

function fieldErrors(errors: NonNullable<EovError['errors']>): FieldError[] {
  const seen = new Set<string>();
  const out: FieldError[] = [];
  for (const e of errors) {
    const keyword = (e.errorCode ?? '').replace(/\.openapi\.validation$/, '') || undefined;
    const field = fieldOf(e.path);
    const message =
      keyword === 'required' ? 'is required' : keyword === 'additionalProperties' || /^Unknown query parameter/.test(e.message ?? '') ? 'is not allowed' : (e.message ?? 'is invalid');
    const key = `${field}|${message}`;
    if (seen.has(key)) continue;
    seen.add(key);
    out.push(keyword ? { field, message, keyword } : { field, message });
  }
  return out;
}

/**
 * Maps a validator error, or returns null for anything else. 500 is the response validator (or a
 * contract that did not load): reported as E1000 and logged by the caller, never sent as detail.
 */
export function validatorError(err: unknown, method: string, path: string): { api: ApiError; internal: boolean } | null {
  if (!isEovError(err)) return null;
  switch (err.status) {
    case 400:
      return { api: ApiError.validation(fieldErrors(err.errors ?? [])), internal: false };
    case 404:
      return { api: new ApiError('E1004', `No route for ${method} ${path}`), internal: false };
    case 405:
      return { api: new ApiError('E1002', `Method ${method} not allowed`), internal: false };
    case 406:
      return { api: new ApiError('E1001', 'Not acceptable: this operation answers application/json', null, 406), internal: false };
    case 413:
      return { api: new ApiError('E1001', 'Request body is too large', null, 413), internal: false };
    case 415:
      return { api: new ApiError('E1001', 'Unsupported Content-Type; send application/json', null, 415), internal: false };
    default:
      return { api: new ApiError('E1000', err.status === 500 ? 'Response does not match the contract' : undefined), internal: true };
  }
}
