import type { ApiDocsOpenApiInput, ApiDocsOpenApiOutput } from '../../../generated/server/operations';
import type { GatewayContext } from '../context';
import type { Docs } from '../docs';

/** openapi.yaml as JSON, converted once per process. */
export function makeApiDocsOpenApi(deps: { docs: Docs }) {
  return async function ApiDocsOpenApi(input: ApiDocsOpenApiInput, _ctx: GatewayContext): Promise<ApiDocsOpenApiOutput> {
    return deps.docs.openapi(input.headers);
  };
}
