// Emits the frontend SDK: a typed HTTP client with one method per operation, and typed SSE
// streams that resume with Last-Event-ID.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { OperationModel, SpecModel } from './spec';
import { BANNER, tsType } from './emit-ts';

const camel = (s: string) => s.charAt(0).toLowerCase() + s.slice(1);

function argsType(op: OperationModel): { type: string; optional: boolean } {
  const fields: string[] = [];
  let optional = true;
  const path = op.params.filter((p) => p.in === 'path');
  if (path.length) {
    fields.push(`params: { ${path.map((p) => `${p.name}: ${tsType(p.schema)}`).join('; ')} }`);
    optional = false;
  }
  const query = op.params.filter((p) => p.in === 'query');
  if (query.length) {
    const req = query.some((p) => p.required);
    if (req) optional = false;
    fields.push(`query${req ? '' : '?'}: { ${query.map((p) => `${p.name}${p.required ? '' : '?'}: ${tsType(p.schema)}`).join('; ')} }`);
  }
  if (op.body) {
    if (op.body.required) optional = false;
    fields.push(`body${op.body.required ? '' : '?'}: S.${op.body.schemaName}`);
  }
  fields.push('headers?: Record<string, string>');
  return { type: `{ ${fields.join('; ')} }`, optional };
}

export function emitSdk(spec: SpecModel, root: string): Record<string, string> {
  const ops = spec.operations.filter((o) => o.service !== 'gateway');
  let out = BANNER;
  out += `import type * as S from '../schemas';\nimport { operations } from '../server/operations';\nimport type * as O from '../server/operations';\nimport { HEADERS } from '../contract';\nimport { openEventStream, type StreamEvent, type StreamOptions } from './sse';\n\n`;
  out += `export { StreamHttpError, StreamContractError, type StreamEvent, type StreamOptions } from './sse';\n\n`;
  out += `export interface DwpClientOptions {\n  /** Gateway base URL, e.g. http://127.0.0.1:8080 */\n  baseUrl: string;\n  /** Bearer token, or a function returning the current one. */\n  token?: string | (() => string | undefined);\n  /** Sent as X-Tenant-ID on every non-public call. */\n  tenantId?: string;\n  /** Extra headers on every call (X-Agent-ID, X-DWP-Source, ...). */\n  headers?: Record<string, string>;\n  fetch?: typeof fetch;\n  /**
   * Call a service directly instead of the gateway: paths lose the \`/api\` prefix, as the
   * gateway would strip it (the backend calling Aura at AURA_URL, for example).
   */
  direct?: boolean;
  /** Abort a call after this many milliseconds. */
  timeoutMs?: number;
  /** Validate success responses against the spec. Default false. */\n  validateResponses?: boolean;\n}\n\n`;
  out += `/** A non-2xx answer: \`envelope\` is the parsed error envelope when the server sent one. */\nexport class DwpApiError extends Error {\n  constructor(readonly status: number, readonly envelope: S.ErrorEnvelope | undefined, readonly body: unknown) {\n    super(envelope ? \`\${envelope.errorCode}: \${envelope.message}\` : \`HTTP \${status}\`);\n    this.name = 'DwpApiError';\n  }\n  get errorCode(): string | undefined {\n    return this.envelope?.errorCode;\n  }\n}\n\n`;
  out += `type Op = (typeof operations)[keyof typeof operations];\n\n`;
  out += `export class DwpClient {\n  private readonly fetchImpl: typeof fetch;\n  constructor(private readonly options: DwpClientOptions) {\n    this.fetchImpl = options.fetch ?? fetch;\n  }\n\n`;
  out += `  /** Returns a client that sends this token (e.g. after login). */\n  withToken(token: string, tenantId?: string): DwpClient {\n    return new DwpClient({ ...this.options, token, tenantId: tenantId ?? this.options.tenantId });\n  }\n\n`;
  out += `  private url(op: Op, params?: Record<string, unknown>, query?: Record<string, unknown>): string {\n    const path = (this.options.direct ? op.servicePath : op.path).replace(/\\{([A-Za-z0-9_]+)\\}/g, (_, n: string) => encodeURIComponent(String(params?.[n])));\n    const qs = new URLSearchParams();\n    for (const [k, v] of Object.entries(query ?? {})) if (v !== undefined && v !== null) qs.set(k, String(v));\n    const s = qs.toString();\n    return this.options.baseUrl.replace(/\\/$/, '') + path + (s ? \`?\${s}\` : '');\n  }\n\n`;
  out += `  private headers(op: Op, extra?: Record<string, string>, hasBody?: boolean): Record<string, string> {\n    const h: Record<string, string> = { ...this.options.headers };\n    const token = typeof this.options.token === 'function' ? this.options.token() : this.options.token;\n    if (!op.public) {\n      if (token) h[HEADERS.AUTHORIZATION] = \`Bearer \${token}\`;\n      if (this.options.tenantId) h[HEADERS.TENANT_ID] = this.options.tenantId;\n    }\n    if (hasBody) h['Content-Type'] = 'application/json';\n    return { ...h, ...extra };\n  }\n\n`;
  out += `  private async call<T>(op: Op, args: { params?: Record<string, unknown>; query?: Record<string, unknown>; body?: unknown; headers?: Record<string, string> } = {}): Promise<T> {\n    const hasBody = args.body !== undefined;\n    const res = await this.fetchImpl(this.url(op, args.params, args.query), {\n      method: op.method,\n      headers: this.headers(op, args.headers, hasBody),\n      body: hasBody ? JSON.stringify(args.body) : undefined,\n      signal: this.options.timeoutMs ? AbortSignal.timeout(this.options.timeoutMs) : undefined,\n    });\n    const text = await res.text();\n    let body: unknown = text;\n    try {\n      body = text ? JSON.parse(text) : undefined;\n    } catch {\n      /* not JSON */\n    }\n    if (!res.ok) {\n      const env = body && typeof body === 'object' && (body as { status?: unknown }).status === 'ERROR' ? (body as S.ErrorEnvelope) : undefined;\n      throw new DwpApiError(res.status, env, body);\n    }\n    if (this.options.validateResponses) {\n      const v = (op.responses as Record<number, ((x: unknown) => boolean) & { errors?: unknown }>)[res.status];\n      if (v && !v(body)) throw new Error(\`\${op.operationId}: response does not match the spec: \${JSON.stringify(v.errors)}\`);\n    }\n    return body as T;\n  }\n\n`;
  out += `  private stream<E>(op: Op, args: { params?: Record<string, unknown>; query?: Record<string, unknown>; body?: unknown; headers?: Record<string, string> }, options?: StreamOptions): AsyncGenerator<StreamEvent<E>, void, undefined> {\n    const hasBody = args.body !== undefined;\n    return openEventStream<E>(\n      this.fetchImpl,\n      { url: this.url(op, args.params, args.query), method: op.method as 'GET' | 'POST', headers: this.headers(op, args.headers, hasBody), body: hasBody ? JSON.stringify(args.body) : undefined },\n      op.sseEvents ?? {},\n      options,\n    );\n  }\n\n`;
  for (const op of ops) {
    const { type, optional } = argsType(op);
    const name = camel(op.operationId);
    const argDecl = `args: ${type}${optional ? ' = {}' : ''}`;
    out += `  /** ${op.method} ${op.path} — ${op.summary} */\n`;
    if (op.kind === 'sse') {
      out += `  ${name}(${argDecl}, options?: StreamOptions): AsyncGenerator<StreamEvent<O.${op.operationId}Events>, void, undefined> {\n    return this.stream<O.${op.operationId}Events>(operations.${op.operationId}, args, options);\n  }\n\n`;
    } else {
      const ret = op.kind === 'text' ? 'string' : op.success.map((s) => `S.${s.schemaName}`).join(' | ');
      out += `  ${name}(${argDecl}): Promise<${ret}> {\n    return this.call<${ret}>(operations.${op.operationId}, args);\n  }\n\n`;
    }
  }
  out += `}\n`;
  const sse = BANNER + readFileSync(join(root, 'scripts/codegen/templates/sse.ts'), 'utf8');
  return { 'sdk/client.ts': out, 'sdk/sse.ts': sse, 'sdk/index.ts': BANNER + `export * from './client';\nexport type * from '../schemas';\n` };
}
