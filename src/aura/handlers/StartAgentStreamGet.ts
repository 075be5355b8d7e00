import type { StartAgentStreamGetInput } from '../../../generated/server/operations';
import type { RequestContext } from '../../shared/http/service-app';
import { type AgentStreamDeps, serveAgentStream } from './agent-stream';

export function makeStartAgentStreamGet(deps: AgentStreamDeps) {
  return async function StartAgentStreamGet(input: StartAgentStreamGetInput, ctx: RequestContext): Promise<void> {
    await serveAgentStream(deps, ctx, {
      lastEventId: input.headers['last-event-id'],
      start: { prompt: input.query.message, context: input.query.thread_id ? { threadId: input.query.thread_id } : {} },
    });
  };
}
