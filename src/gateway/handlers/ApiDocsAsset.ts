import type { ApiDocsAssetInput, ApiDocsAssetOutput } from '../../../generated/server/operations';
import type { GatewayContext } from '../context';
import type { Docs } from '../docs';

/** The Scalar bundle (from node_modules) or the page's own script, by exact name (404 E1004 otherwise). */
export function makeApiDocsAsset(deps: { docs: Docs }) {
  return async function ApiDocsAsset(input: ApiDocsAssetInput, _ctx: GatewayContext): Promise<ApiDocsAssetOutput> {
    return deps.docs.asset(input.params.asset, input.headers);
  };
}
