// openapi.yaml at run time: each service validates its requests (and, outside production, its
// responses) with express-openapi-validator against the document itself, not a copy of it.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Router, type RequestHandler } from 'express';
import * as OpenApiValidator from 'express-openapi-validator';
import { parse } from 'yaml';
import type { OperationSpec, Service } from '../../../generated/server/operations';

/** The repository's contract (this file sits in src/shared/http). */
export const DEFAULT_OPENAPI_PATH = join(__dirname, '..', '..', '..', 'openapi.yaml');

const METHODS = ['get', 'put', 'post', 'delete', 'patch', 'head', 'options', 'trace'] as const;

type Doc = Record<string, any>;

/**
 * The part of the contract one service serves, at the paths it serves them: the spec is written
 * as seen through the gateway (`/api/main/...`), which strips `/api` before forwarding (see the
 * `x-service` paragraph of openapi.yaml's description). Operations come from the document;
 * the generated table only says where each one is served.
 */
export function serviceDocument(doc: Doc, service: Service, operations: Readonly<Record<string, OperationSpec>>): Doc {
  const paths: Doc = {};
  for (const [path, item] of Object.entries<Doc>(doc.paths ?? {})) {
    for (const method of METHODS) {
      const op = item[method];
      if (!op || op['x-service'] !== service) continue;
      const spec = operations[op.operationId];
      if (!spec) throw new Error(`openapi.yaml has ${op.operationId} (${method.toUpperCase()} ${path}), which generated/ does not know: run \`npm run generate\``);
      const target = (paths[spec.servicePath] ??= {});
      if (item.parameters) target.parameters = item.parameters;
      target[method] = op;
    }
  }
  // No servers: eov would take their path as a base path; the service is served from its root.
  const { servers: _servers, paths: _paths, ...rest } = doc;
  return { ...rest, paths };
}

export function loadServiceDocument(openapiPath: string, service: Service, operations: Readonly<Record<string, OperationSpec>>): Doc {
  return serviceDocument(parse(readFileSync(openapiPath, 'utf8')), service, operations);
}

export interface ValidatorOptions {
  /** Share of responses validated: 1 every one, 0 none (production default), 0.01 one in a hundred. */
  responseValidation: number;
}

/**
 * The express-openapi-validator chain, as one middleware. Request validation always runs; when
 * only some responses are validated, two validators share the document and each request picks one.
 */
export function openapiValidator(apiDoc: Doc, opts: ValidatorOptions): RequestHandler {
  const build = (validateResponses: boolean) =>
    OpenApiValidator.middleware({
      apiSpec: apiDoc as any,
      // openapi.yaml is linted (Redocly) and its examples checked in CI; checking it against the OpenAPI
      // meta-schema again at every start cost seconds of CPU per service.
      validateApiSpec: false,
      validateRequests: { allErrors: true, allowUnknownQueryParameters: false },
      validateResponses: validateResponses ? { allErrors: true } : false,
      // Authentication is ours (the E2xxx codes and the tenant rules come before validation).
      validateSecurity: false,
      ignoreUndocumented: false,
      fileUploader: false,
      $refParser: { mode: 'bundle' },
    });
  const rate = Math.min(1, Math.max(0, opts.responseValidation));
  const always = chain(build(rate > 0));
  if (rate === 0 || rate === 1) return always;
  const requestsOnly = chain(build(false));
  return (req, res, next) => (Math.random() < rate ? always : requestsOnly)(req, res, next);
}

/** The middlewares in order as one (an express Router runs them, errors included). */
function chain(mws: RequestHandler[]): RequestHandler {
  return Router().use(mws);
}
