import type { WorkbenchIndexInput, WorkbenchIndexOutput } from '../../../generated/server/operations';
import type { GatewayContext } from '../context';
import type { Workbench } from '../workbench';

/** The workbench's `index.html` (no-cache, ETag, the same-origin CSP); 503 E1000 while unbuilt. */
export function makeWorkbenchIndex(deps: { workbench: Workbench }) {
  return async function WorkbenchIndex(input: WorkbenchIndexInput, _ctx: GatewayContext): Promise<WorkbenchIndexOutput> {
    return deps.workbench.index(input.headers);
  };
}
