import type { JoinStreamInput } from '../../../generated/server/operations';
import type { RequestContext } from '../../shared/http/service-app';
import type { AuraRuntime } from '../runtime';
import { serveAgentStream } from './agent-stream';

export function makeJoinStream(rt: AuraRuntime) {
  return async function JoinStream(input: JoinStreamInput, ctx: RequestContext): Promise<void> {
    await serveAgentStream(rt, ctx, { lastEventId: input.headers['last-event-id'], streamId: input.params.streamId });
  };
}
