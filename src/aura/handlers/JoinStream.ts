import type { JoinStreamInput } from '../../../generated/server/operations';
import type { RequestContext } from '../../shared/http/service-app';
import { type AgentStreamDeps, serveAgentStream } from './agent-stream';

export function makeJoinStream(deps: AgentStreamDeps) {
  return async function JoinStream(input: JoinStreamInput, ctx: RequestContext): Promise<void> {
    await serveAgentStream(deps, ctx, { lastEventId: input.headers['last-event-id'], streamId: input.params.streamId });
  };
}
