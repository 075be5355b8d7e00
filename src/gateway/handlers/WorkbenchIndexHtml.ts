import type { WorkbenchIndexHtmlInput, WorkbenchIndexHtmlOutput } from '../../../generated/server/operations';
import type { GatewayContext } from '../context';
import type { Workbench } from '../workbench';

/** The workbench's `index.html` (no-cache, ETag, the same-origin CSP); 503 E1000 while unbuilt. */
export function makeWorkbenchIndexHtml(deps: { workbench: Workbench }) {
  return async function WorkbenchIndexHtml(input: WorkbenchIndexHtmlInput, _ctx: GatewayContext): Promise<WorkbenchIndexHtmlOutput> {
    return deps.workbench.index(input.headers);
  };
}
