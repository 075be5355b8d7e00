import { HEADERS } from '../contract';
import type { SdkOperation } from './operations';
import {
  anySignal,
  asNetworkError,
  defaultFetch,
  DwpApiError,
  DwpContractError,
  fetchOrNetworkError,
  parseJson,
  readErrorResponse,
  type FetchFn,
  type Validator,
} from './http';
import { openEventStream, type EventValidators, type StreamEvent, type StreamOptions } from './sse';

export { DwpApiError, DwpContractError, DwpNetworkError, type FetchFn, type Validator } from './http';

/** Validators by operation: responses by status, stream events by event name. */
export interface SdkValidation {
  responses?: Readonly<Record<string, Readonly<Record<number, Validator>>>>;
  events?: Readonly<Record<string, EventValidators>>;
}

export interface DwpClientOptions {
  /** Gateway base URL, e.g. http://127.0.0.1:8080; '' = the page's own origin. */
  baseUrl: string;
  /** Bearer token, or a function returning the current one (read on every call). */
  token?: string | (() => string | undefined);
  /** Sent as X-Tenant-ID on every non-public call. */
  tenantId?: string | (() => string | undefined);
  /** Extra headers on every call (X-Agent-ID, X-DWP-Source, ...). */
  headers?: Record<string, string>;
  fetch?: typeof fetch;
  /** Abort a JSON call after this many milliseconds (streams take their own signal instead). */
  timeoutMs?: number;
  /**
   * Check responses and stream events against the spec. A function is called once, on first
   * use, so a browser can keep the validators out of its main bundle:
   * `validation: () => import('generated/sdk/validation').then((m) => m.sdkValidation)`.
   */
  validation?: SdkValidation | (() => Promise<SdkValidation>);
  /** Called on every 401 before the error is thrown (e.g. to send the user to the login page). */
  onUnauthorized?: (err: DwpApiError) => void;
}

/** What every generated call passes: path and query values, the body, per-call extras. */
export interface CallArgs {
  params?: Record<string, unknown>;
  query?: Record<string, unknown>;
  body?: unknown;
  headers?: Record<string, string>;
  signal?: AbortSignal;
}

const read = (v: string | (() => string | undefined) | undefined) => (typeof v === 'function' ? v() : v);

/** Holds the options and performs calls; the functions in api.ts take one as their first argument. */
export class DwpCore {
  private readonly fetchFn: FetchFn;
  private loaded?: Promise<SdkValidation | undefined>;

  constructor(readonly options: DwpClientOptions) {
    this.fetchFn = (options.fetch as FetchFn | undefined) ?? defaultFetch;
  }

  /** The same client with this token (and tenant), e.g. after login. */
  withToken(token: string, tenantId?: string): this {
    const Same = this.constructor as new (options: DwpClientOptions) => this;
    return new Same({ ...this.options, token, tenantId: tenantId ?? this.options.tenantId });
  }

  /** The path an operation is called at; the service client overrides it for direct calls. */
  protected route(op: SdkOperation): string {
    return op.path;
  }

  protected validationSource(): DwpClientOptions['validation'] {
    return this.options.validation;
  }

  private validation(): Promise<SdkValidation | undefined> {
    const source = this.validationSource();
    this.loaded ??= Promise.resolve(typeof source === 'function' ? source() : source);
    return this.loaded;
  }

  private url(op: SdkOperation, params?: Record<string, unknown>, query?: Record<string, unknown>): string {
    const path = this.route(op).replace(/\{([A-Za-z0-9_]+)\}/g, (_, n: string) => encodeURIComponent(String(params?.[n])));
    const qs = new URLSearchParams();
    for (const [k, v] of Object.entries(query ?? {})) if (v !== undefined && v !== null) qs.set(k, String(v));
    const s = qs.toString();
    return this.options.baseUrl.replace(/\/$/, '') + path + (s ? `?${s}` : '');
  }

  private headers(op: SdkOperation, extra: Record<string, string> | undefined, hasBody: boolean): Record<string, string> {
    const h: Record<string, string> = { ...this.options.headers };
    if (!op.public) {
      const token = read(this.options.token);
      const tenantId = read(this.options.tenantId);
      if (token) h[HEADERS.AUTHORIZATION] = `Bearer ${token}`;
      if (tenantId) h[HEADERS.TENANT_ID] = tenantId;
    }
    if (hasBody) h['Content-Type'] = 'application/json';
    return { ...h, ...extra };
  }

  private unauthorized(err: DwpApiError): void {
    if (err.status === 401) this.options.onUnauthorized?.(err);
  }

  /** One JSON (or text) call: resolves to the success body, rejects with an SDK error. */
  async call<T>(op: SdkOperation, args: CallArgs = {}): Promise<T> {
    const hasBody = args.body !== undefined;
    const timeout = this.options.timeoutMs ? AbortSignal.timeout(this.options.timeoutMs) : undefined;
    const init: RequestInit = {
      method: op.method,
      headers: this.headers(op, args.headers, hasBody),
      body: hasBody ? JSON.stringify(args.body) : undefined,
      signal: anySignal([args.signal, timeout]),
    };
    const url = this.url(op, args.params, args.query);
    const res = await fetchOrNetworkError(this.fetchFn, url, init);
    if (!res.ok) {
      const err = new DwpApiError(...(await readErrorResponse(res)));
      this.unauthorized(err);
      throw err;
    }
    let text: string;
    try {
      text = await res.text();
    } catch (err) {
      // A connection cut while the body streams in is as unreachable as a refused one.
      throw asNetworkError(err, url, init.signal);
    }
    if (op.kind === 'text') return text as T;
    const body = parseJson(text);
    const check = (await this.validation())?.responses?.[op.operationId]?.[res.status];
    if (check && !check(body)) throw new DwpContractError(op.operationId, res.status, check.errors);
    return body as T;
  }

  /** A streaming call: the async generator of sse.ts, validated when validation is configured. */
  stream<E>(op: SdkOperation, args: CallArgs = {}, options: StreamOptions = {}): AsyncGenerator<StreamEvent<E>, void, undefined> {
    const hasBody = args.body !== undefined;
    return openEventStream<E>(
      this.fetchFn,
      {
        url: this.url(op, args.params, args.query),
        method: op.method as 'GET' | 'POST',
        headers: this.headers(op, args.headers, hasBody),
        body: hasBody ? JSON.stringify(args.body) : undefined,
        validators: async () => (await this.validation())?.events?.[op.operationId],
        onHttpError: (err) => this.unauthorized(err),
      },
      { ...options, signal: anySignal([args.signal, options.signal]) },
    );
  }
}
