import type { StartAgentStreamInput } from '../../../generated/server/operations';
import type { RequestContext } from '../../shared/http/service-app';
import { type AgentStreamDeps, serveAgentStream } from './agent-stream';

export function makeStartAgentStream(deps: AgentStreamDeps) {
  return async function StartAgentStream(input: StartAgentStreamInput, ctx: RequestContext): Promise<void> {
    await serveAgentStream(deps, ctx, {
      lastEventId: input.headers['last-event-id'],
      start: { prompt: input.body.prompt, context: { ...(input.body.context ?? {}), ...(input.body.thread_id ? { threadId: input.body.thread_id } : {}) } },
    });
  };
}
