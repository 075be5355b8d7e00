import type { StartAgentStreamEvents } from '../../../generated/server/operations';
import { MAX_CONTEXT_BYTES } from '../../../generated/contract';
import { ApiError } from '../../shared/errors';
import { caller, type RequestContext } from '../../shared/http/service-app';
import type { AgentRunner } from '../agent/agent-runner';
import type { StreamLog } from '../ports';
import { endWithError, resumePosition, serveFromLog } from '../streams/serve';

/** What the agent stream operations use: the runner (start, look up a run) and the log they tail. */
export interface AgentStreamDeps {
  agent: Pick<AgentRunner, 'start' | 'runOf'>;
  agentLog: StreamLog;
}

export interface AgentStreamRequest {
  lastEventId?: string | undefined;
  /** JoinStream: the stream named in the path. */
  streamId?: string;
  /** StartAgentStream: what to run when this is not a resume. */
  start?: { prompt: string; context: Record<string, unknown> };
}

export function checkContextSize(context: unknown): void {
  if (context === undefined) return;
  const bytes = Buffer.byteLength(JSON.stringify(context), 'utf8');
  if (bytes > MAX_CONTEXT_BYTES) throw new ApiError('E1001', `context is ${bytes} bytes; at most ${MAX_CONTEXT_BYTES} are allowed`, null, 413);
}

/**
 * Every agent stream response is the same: find the position (a new run, a join, or a resume
 * by Last-Event-ID), then tail the stream log. The run itself never writes to a socket.
 */
export async function serveAgentStream(deps: AgentStreamDeps, ctx: RequestContext, req: AgentStreamRequest): Promise<void> {
  const auth = caller(ctx);
  let streamId: string;
  let afterSeq = 0;
  if (req.lastEventId !== undefined) {
    const pos = await resumePosition(deps.agentLog, req.lastEventId, req.streamId);
    const run = 'error' in pos ? null : await deps.agent.runOf(pos.streamId);
    const stream = ctx.openStream<StartAgentStreamEvents>();
    // Another tenant's stream is answered exactly like an unknown one.
    if ('error' in pos) return endWithError(stream, pos.error, pos.errorType);
    if (!run || run.tenantId !== auth.tenantId) return endWithError(stream, `Stream ${pos.streamId} is unknown or has expired`, 'StreamExpired');
    ({ streamId, afterSeq } = pos);
  } else if (req.streamId !== undefined) {
    const run = await deps.agent.runOf(req.streamId);
    if (!run || run.tenantId !== auth.tenantId) throw new ApiError('E1004', `Stream ${req.streamId} not found`);
    streamId = req.streamId;
  } else {
    const start = req.start!;
    checkContextSize(start.context);
    streamId = await deps.agent.start({ tenantId: auth.tenantId, userId: auth.userId, prompt: start.prompt, context: start.context });
  }
  const stream = ctx.openStream<StartAgentStreamEvents>();
  await serveFromLog(stream, deps.agentLog, streamId, afterSeq, ctx.signal);
}
