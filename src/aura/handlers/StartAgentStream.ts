import type { StartAgentStreamInput } from '../../../generated/server/operations';
import type { RequestContext } from '../../shared/http/service-app';
import type { AuraRuntime } from '../runtime';
import { serveAgentStream } from './agent-stream';

export function makeStartAgentStream(rt: AuraRuntime) {
  return async function StartAgentStream(input: StartAgentStreamInput, ctx: RequestContext): Promise<void> {
    await serveAgentStream(rt, ctx, {
      lastEventId: input.headers['last-event-id'],
      start: { prompt: input.body.prompt, context: { ...(input.body.context ?? {}), ...(input.body.thread_id ? { threadId: input.body.thread_id } : {}) } },
    });
  };
}
