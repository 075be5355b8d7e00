import type { AsyncApiDocsAssetInput, AsyncApiDocsAssetOutput } from '../../../generated/server/operations';
import type { GatewayContext } from '../context';
import type { Docs } from '../docs';

/** A style or script of the AsyncAPI docs, by exact folder and name (404 E1004 otherwise). */
export function makeAsyncApiDocsAsset(deps: { docs: Docs }) {
  return async function AsyncApiDocsAsset(input: AsyncApiDocsAssetInput, _ctx: GatewayContext): Promise<AsyncApiDocsAssetOutput> {
    return deps.docs.asyncapiAsset(input.params.folder, input.params.file, input.headers);
  };
}
