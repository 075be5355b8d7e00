import type { ApiDocsInput, ApiDocsOutput } from '../../../generated/server/operations';
import type { GatewayContext } from '../context';
import type { Docs } from '../docs';

/** The Scalar API reference page (it loads the bundle and the spec from this gateway). */
export function makeApiDocs(deps: { docs: Docs }) {
  return async function ApiDocs(input: ApiDocsInput, _ctx: GatewayContext): Promise<ApiDocsOutput> {
    return deps.docs.page(input.headers);
  };
}
