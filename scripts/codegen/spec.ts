// Loads the two specs and flattens them into the model every emitter works from.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import YAML from 'yaml';

export type JsonSchema = Record<string, any>;

export interface ParamModel {
  name: string;
  in: 'path' | 'query' | 'header';
  required: boolean;
  schema: JsonSchema;
}

export interface OperationModel {
  operationId: string;
  service: 'gateway' | 'auth' | 'main' | 'aura';
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  /** Path as written in the spec (through the gateway, `/api/...`, unless direct). */
  path: string;
  /** Path the service itself serves (the gateway strips `/api`). */
  servicePath: string;
  direct: boolean;
  public: boolean;
  /** Who may call it: `internal` (x-audience) = services only; else derived from `security`. */
  audience: Audience;
  /** `x-roles`: the token roles a user operation is limited to; null = any authenticated user. */
  roles: string[] | null;
  /** `x-body-limit`: the named larger body limit the operation accepts; null = the default. */
  bodyLimit: string | null;
  kind: 'json' | 'sse' | 'text';
  params: ParamModel[];
  body: { required: boolean; schemaName: string } | null;
  /** Success responses: status → schema name (json) or null (sse/text). */
  success: { status: number; schemaName: string | null }[];
  /** Declares a 304: the operation answers conditional GETs (`If-None-Match`) with no body. */
  notModified: boolean;
  /** SSE event name → schema name. */
  sseEvents: Record<string, string> | null;
  summary: string;
}

export interface ChannelModel {
  key: string;
  address: string;
  parameters: string[];
  envVar: string | null;
  messages: { name: string; schemaName: string }[];
  description: string;
}

export interface RedisKeyModel {
  key: string;
  pattern: string;
  parameters: string[];
  ttlSeconds: number;
  /** The record schema; null for keys that are not one JSON record (Redis Streams, sets). */
  schemaName: string | null;
  redisType: string;
}

export interface SpecModel {
  openapi: JsonSchema;
  asyncapi: JsonSchema;
  schemas: Record<string, JsonSchema>;
  operations: OperationModel[];
  headerParams: { component: string; name: string }[];
  errorCodes: { code: string; status: number; message: string }[];
  channels: ChannelModel[];
  redisKeys: RedisKeyModel[];
  patterns: { key: string; pattern: string }[];
}

const METHODS = ['get', 'post', 'put', 'patch', 'delete'] as const;

export type Audience = 'public' | 'user' | 'internal';
/** The values `x-audience` may take; the others are derived, so writing them would only drift. */
export const X_AUDIENCE_VALUES: readonly string[] = ['internal'];
/** The names `x-body-limit` may take (the bytes are configuration: src/shared/http/body-limits.ts). */
export const X_BODY_LIMIT_VALUES: readonly string[] = ['upload'];

export function refName(ref: string): string {
  const m = /#\/components\/(?:schemas|parameters|responses|messages)\/([A-Za-z0-9_]+)$/.exec(ref);
  if (!m) throw new Error(`unsupported $ref ${ref}`);
  return m[1];
}

function deref(doc: JsonSchema, node: JsonSchema): JsonSchema {
  if (node && typeof node.$ref === 'string' && node.$ref.startsWith('#/')) {
    const parts = node.$ref.slice(2).split('/');
    let cur: any = doc;
    for (const p of parts) cur = cur[p];
    return cur;
  }
  return node;
}

function placeholders(address: string): string[] {
  return [...address.matchAll(/\{([A-Za-z0-9_]+)\}/g)].map((m) => m[1]);
}

export function loadSpecs(root: string): SpecModel {
  const openapi = YAML.parse(readFileSync(join(root, 'openapi.yaml'), 'utf8'), { merge: true });
  const asyncapi = YAML.parse(readFileSync(join(root, 'asyncapi.yaml'), 'utf8'), { merge: true });
  const schemas: Record<string, JsonSchema> = openapi.components.schemas;

  const operations: OperationModel[] = [];
  for (const [path, item] of Object.entries<any>(openapi.paths)) {
    for (const method of METHODS) {
      const op = item[method];
      if (!op) continue;
      const direct = op['x-direct'] === true;
      const servicePath = path.startsWith('/api/') ? path.slice(4) : path;
      const params: ParamModel[] = (op.parameters ?? []).map((p: JsonSchema) => {
        const r = deref(openapi, p);
        return { name: r.name, in: r.in, required: r.required === true, schema: r.schema };
      });
      let body: OperationModel['body'] = null;
      if (op.requestBody) {
        const schema = op.requestBody.content?.['application/json']?.schema;
        if (!schema?.$ref) throw new Error(`${op.operationId}: request body must $ref a named schema`);
        body = { required: op.requestBody.required === true, schemaName: refName(schema.$ref) };
      }
      let kind: OperationModel['kind'] = 'json';
      const success: OperationModel['success'] = [];
      for (const [status, resp0] of Object.entries<any>(op.responses)) {
        const code = Number(status);
        const resp = deref(openapi, resp0);
        // Error envelopes are thrown by handlers, not returned; anything else is an output.
        const jsonRef: string | undefined = resp.content?.['application/json']?.schema?.$ref;
        if (code >= 300 && (!jsonRef || refName(jsonRef) === 'ErrorEnvelope')) continue;
        const content = resp.content ?? {};
        if (content['text/event-stream']) {
          kind = 'sse';
          success.push({ status: code, schemaName: null });
        } else if (Object.keys(content).length > 0 && !content['application/json']) {
          // Plain text, HTML, static files: a body the binding passes through unvalidated.
          kind = 'text';
          success.push({ status: code, schemaName: null });
        } else {
          const schema = content['application/json']?.schema;
          if (!schema?.$ref) throw new Error(`${op.operationId} ${status}: response must $ref a named schema`);
          success.push({ status: code, schemaName: refName(schema.$ref) });
        }
      }
      let sseEvents: Record<string, string> | null = null;
      if (op['x-sse-events']) {
        sseEvents = {};
        for (const [ev, ref] of Object.entries<string>(op['x-sse-events'])) sseEvents[ev] = refName(ref);
      }
      if (!/^[A-Z][A-Za-z0-9]+$/.test(op.operationId)) throw new Error(`operationId ${op.operationId} is not PascalCase`);
      const isPublic = Array.isArray(op.security) && op.security.length === 0;
      const xAudience = op['x-audience'];
      if (xAudience !== undefined && !X_AUDIENCE_VALUES.includes(xAudience)) throw new Error(`${op.operationId}: unknown x-audience ${JSON.stringify(xAudience)}`);
      const xRoles = op['x-roles'];
      if (xRoles !== undefined && (!Array.isArray(xRoles) || xRoles.length === 0 || !xRoles.every((r: unknown) => typeof r === 'string' && /^[A-Z][A-Z_]*$/.test(r)))) {
        throw new Error(`${op.operationId}: x-roles must be a non-empty list of role names`);
      }
      if (xRoles !== undefined && (isPublic || xAudience === 'internal')) throw new Error(`${op.operationId}: x-roles only narrows a user operation`);
      const xBodyLimit = op['x-body-limit'];
      if (xBodyLimit !== undefined && !X_BODY_LIMIT_VALUES.includes(xBodyLimit)) throw new Error(`${op.operationId}: unknown x-body-limit ${JSON.stringify(xBodyLimit)}`);
      if (xBodyLimit !== undefined && !body) throw new Error(`${op.operationId}: x-body-limit on an operation without a request body`);
      operations.push({
        operationId: op.operationId,
        service: op['x-service'],
        method: method.toUpperCase() as OperationModel['method'],
        path,
        servicePath,
        direct,
        public: isPublic,
        audience: xAudience === 'internal' ? 'internal' : isPublic ? 'public' : 'user',
        roles: xRoles ?? null,
        bodyLimit: xBodyLimit ?? null,
        kind,
        params,
        body,
        success,
        notModified: '304' in op.responses,
        sseEvents,
        summary: op.summary ?? '',
      });
    }
  }

  const headerParams = Object.entries<any>(openapi.components.parameters)
    .filter(([, p]) => p.in === 'header')
    .map(([component, p]) => ({ component, name: p.name as string }));

  const ec = schemas.ErrorCode;
  const errorCodes = (ec.enum as string[]).map((code) => ({
    code,
    status: ec['x-http-status'][code] as number,
    message: ec['x-messages'][code] as string,
  }));

  const channels: ChannelModel[] = Object.entries<any>(asyncapi.channels).map(([key, ch]) => ({
    key,
    address: ch.address,
    parameters: placeholders(ch.address),
    envVar: ch['x-env'] ?? null,
    description: ch.description ?? ch.title ?? '',
    messages: Object.entries<any>(ch.messages).map(([name, m]) => {
      const msg = deref(asyncapi, m);
      const ref: string = msg.payload.$ref;
      if (!ref.startsWith('./openapi.yaml#/components/schemas/')) {
        throw new Error(`channel ${key}: payloads must reuse openapi.yaml schemas (${ref})`);
      }
      return { name, schemaName: refName(ref) };
    }),
  }));

  const redisKeys: RedisKeyModel[] = Object.entries<any>(asyncapi['x-redis-keys']).map(([key, k]) => ({
    key,
    pattern: k.pattern,
    parameters: placeholders(k.pattern),
    ttlSeconds: k.ttlSeconds,
    schemaName: k.schema?.$ref ? refName(k.schema.$ref) : null,
    redisType: k.type ?? 'string',
  }));

  const patterns = Object.entries<any>(asyncapi['x-redis-patterns'] ?? {}).map(([key, p]) => ({ key, pattern: p.pattern }));

  return { openapi, asyncapi, schemas, operations, headerParams, errorCodes, channels, redisKeys, patterns };
}
