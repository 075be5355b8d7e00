import type { StartAgentStreamGetInput } from '../../../generated/server/operations';
import type { RequestContext } from '../../shared/http/service-app';
import type { AuraRuntime } from '../runtime';
import { serveAgentStream } from './agent-stream';

export function makeStartAgentStreamGet(rt: AuraRuntime) {
  return async function StartAgentStreamGet(input: StartAgentStreamGetInput, ctx: RequestContext): Promise<void> {
    await serveAgentStream(rt, ctx, {
      lastEventId: input.headers['last-event-id'],
      start: { prompt: input.query.message, context: input.query.thread_id ? { threadId: input.query.thread_id } : {} },
    });
  };
}
