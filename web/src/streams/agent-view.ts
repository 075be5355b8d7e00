// What the agent stream has said so far, folded from its frames: the plan with its updates, the
// proposal waiting for a decision, the answer, and how the run ended.
import type * as S from '../../../generated/sdk';
import type { Frame } from './stream-session';

export type AgentFrame =
  | { id: string | undefined; event: 'start'; data: S.StartEvent }
  | { id: string | undefined; event: 'thought'; data: S.ThoughtEvent }
  | { id: string | undefined; event: 'plan_step'; data: S.PlanStepEvent }
  | { id: string | undefined; event: 'plan_step_update'; data: S.PlanStepUpdateEvent }
  | { id: string | undefined; event: 'tool_execution'; data: S.ToolExecutionEvent }
  | { id: string | undefined; event: 'hitl'; data: S.HitlEvent }
  | { id: string | undefined; event: 'content'; data: S.ContentEvent }
  | { id: string | undefined; event: 'failed'; data: S.FailedEvent }
  | { id: string | undefined; event: 'error'; data: S.ErrorEvent }
  | { id: string | undefined; event: 'end'; data: S.EndEvent };

export interface PlanStepView {
  stepId: string;
  description: string;
  status: S.PlanStepStatus;
  confidence: number;
  progress: number;
}

export type Outcome = 'approved' | 'rejected' | 'timeout' | 'failed' | 'completed';

export interface AgentView {
  streamId: string | undefined;
  plan: PlanStepView[];
  hitl: S.HitlEvent | undefined;
  /** The answer so far, chunks in order. */
  content: string;
  failed: S.FailedEvent | undefined;
  errors: S.ErrorEvent[];
  end: S.EndEvent | undefined;
  outcome: Outcome | undefined;
}

/** `{streamId}:{sequence}`: the stream an event id belongs to (openapi.yaml, SseEventId). */
export function streamIdOf(eventId: string | undefined): string | undefined {
  if (!eventId) return undefined;
  const i = eventId.lastIndexOf(':');
  return i > 0 ? eventId.slice(0, i) : undefined;
}

export function isAgentFrame(f: Frame): f is AgentFrame {
  return typeof f.data === 'object' && f.data !== null;
}

export function agentView(frames: readonly AgentFrame[]): AgentView {
  const plan = new Map<string, PlanStepView>();
  const v: AgentView = { streamId: undefined, plan: [], hitl: undefined, content: '', failed: undefined, errors: [], end: undefined, outcome: undefined };
  let timedOut = false;
  let decided: 'approved' | 'rejected' | undefined;
  for (const f of frames) {
    v.streamId ??= streamIdOf(f.id);
    switch (f.event) {
      case 'start':
        v.streamId = f.data.streamId ?? v.streamId;
        break;
      case 'plan_step':
        plan.set(f.data.stepId, { stepId: f.data.stepId, description: f.data.description, status: f.data.status, confidence: f.data.confidence, progress: f.data.status === 'completed' ? 100 : 0 });
        break;
      case 'plan_step_update': {
        const s = plan.get(f.data.stepId);
        if (s) plan.set(f.data.stepId, { ...s, status: f.data.status, progress: f.data.progress });
        break;
      }
      case 'tool_execution':
        // The proposed action's tool after the HITL wait: executed on approval, cancelled on rejection.
        if (v.hitl && f.data.requiresApproval) {
          if (f.data.status === 'success') decided = 'approved';
          else if (f.data.status === 'cancelled') decided = 'rejected';
        }
        break;
      case 'hitl':
        v.hitl = f.data;
        break;
      case 'content':
        v.content += f.data.content;
        break;
      case 'failed':
        v.failed = f.data;
        break;
      case 'error':
        v.errors.push(f.data);
        if (f.data.errorType === 'TimeoutError') timedOut = true;
        break;
      case 'end':
        v.end = f.data;
        break;
    }
  }
  v.plan = [...plan.values()];
  if (timedOut) v.outcome = 'timeout';
  else if (v.end?.status === 'approved' || v.end?.status === 'rejected') v.outcome = v.end.status;
  else if (decided) v.outcome = decided;
  else if (v.end?.status === 'failed' || v.failed) v.outcome = 'failed';
  else if (v.end) v.outcome = 'completed';
  return v;
}
