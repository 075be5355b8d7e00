import type { WorkbenchAssetInput, WorkbenchAssetOutput } from '../../../generated/server/operations';
import type { GatewayContext } from '../context';
import type { Workbench } from '../workbench';

/** A file of the built workbench's `assets/`, by exact name (404 E1004 otherwise); gzip when accepted. */
export function makeWorkbenchAsset(deps: { workbench: Workbench }) {
  return async function WorkbenchAsset(input: WorkbenchAssetInput, _ctx: GatewayContext): Promise<WorkbenchAssetOutput> {
    return deps.workbench.asset(input.params.asset, input.headers);
  };
}
