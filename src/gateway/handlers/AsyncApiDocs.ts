import type { AsyncApiDocsInput, AsyncApiDocsOutput } from '../../../generated/server/operations';
import type { GatewayContext } from '../context';
import type { Docs } from '../docs';

/** The AsyncAPI docs page `npm run generate` renders (503 E1000 until it has). */
export function makeAsyncApiDocs(deps: { docs: Docs }) {
  return async function AsyncApiDocs(input: AsyncApiDocsInput, _ctx: GatewayContext): Promise<AsyncApiDocsOutput> {
    return deps.docs.asyncapiIndex(input.headers);
  };
}
