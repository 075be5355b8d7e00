import type * as S from '../schemas';
import { HEADERS } from '../contract';

/** A `fetch`: the SDK only ever calls it as a plain function, never as a method. */
export type FetchFn = (input: string, init: RequestInit) => Promise<Response>;

/** A compiled schema check: true when `data` matches; `errors` says why not. */
export interface Validator {
  (data: unknown): boolean;
  errors?: unknown;
}

/** A non-2xx answer. `envelope` is the parsed error envelope when the server sent one. */
export class DwpApiError extends Error {
  readonly errorCode: string | undefined;
  /** The envelope's `data`: per-field errors of an E4000, the stored decision of an E3006, ... */
  readonly data: unknown;
  constructor(
    readonly status: number,
    readonly envelope: S.ErrorEnvelope | undefined,
    readonly body: unknown,
    /** The envelope's traceId, else the response's trace header: quote it in a bug report. */
    readonly traceId?: string,
  ) {
    super(envelope ? `${envelope.errorCode}: ${envelope.message}` : `HTTP ${status}`);
    this.name = 'DwpApiError';
    this.errorCode = envelope?.errorCode;
    this.data = envelope?.data;
  }
}

/** The server could not be reached (DNS, refused, reset, offline); `cause` is fetch's own error. */
export class DwpNetworkError extends Error {
  constructor(
    readonly url: string,
    override readonly cause: unknown,
  ) {
    super(`cannot reach ${url}: ${(cause as Error)?.message ?? String(cause)}`);
    this.name = 'DwpNetworkError';
  }
}

/** A success answer that does not match the spec (only raised when validation is configured). */
export class DwpContractError extends Error {
  constructor(
    readonly operationId: string,
    readonly status: number,
    readonly errors: unknown,
  ) {
    super(`${operationId}: HTTP ${status} response does not match the spec: ${JSON.stringify(errors)}`);
    this.name = 'DwpContractError';
  }
}

export function parseJson(text: string): unknown {
  if (!text) return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

function isEnvelope(body: unknown): body is S.ErrorEnvelope {
  return !!body && typeof body === 'object' && (body as { status?: unknown }).status === 'ERROR';
}

/** Reads a non-2xx answer into the fields every SDK error carries. */
export async function readErrorResponse(res: Response): Promise<[status: number, envelope: S.ErrorEnvelope | undefined, body: unknown, traceId: string | undefined]> {
  const body = parseJson(await res.text().catch(() => ''));
  const envelope = isEnvelope(body) ? body : undefined;
  return [res.status, envelope, body, envelope?.traceId ?? res.headers.get(HEADERS.TRACE_ID) ?? undefined];
}

/**
 * What a failed fetch (or body read) is thrown as: an abort or a timeout keeps its own error so
 * callers can tell "cancelled" from "unreachable"; anything else is a DwpNetworkError.
 */
export function asNetworkError(err: unknown, url: string, signal: AbortSignal | null | undefined): unknown {
  return signal?.aborted ? err : new DwpNetworkError(url, err);
}

export async function fetchOrNetworkError(f: FetchFn, url: string, init: RequestInit): Promise<Response> {
  try {
    return await f(url, init);
  } catch (err) {
    throw asNetworkError(err, url, init.signal);
  }
}

/** One signal that aborts when any of them does (AbortSignal.any where the runtime has it). */
export function anySignal(signals: readonly (AbortSignal | undefined)[]): AbortSignal | undefined {
  const list = signals.filter((s): s is AbortSignal => s !== undefined);
  if (list.length <= 1) return list[0];
  if (typeof AbortSignal.any === 'function') return AbortSignal.any(list);
  const c = new AbortController();
  for (const s of list) {
    if (s.aborted) {
      c.abort(s.reason);
      break;
    }
    s.addEventListener('abort', () => c.abort(s.reason), { once: true });
  }
  return c.signal;
}

export const defaultFetch: FetchFn = (input, init) => globalThis.fetch(input, init);
