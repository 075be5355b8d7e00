// Pure factories for the agent stream's events (version "1.0", unix-second timestamps).
import type * as S from '../../../generated/schemas';
import { unixSeconds } from '../../shared/time';
import { errorEvent } from '../streams/serve';

const base = () => ({ version: '1.0' as const, timestamp: unixSeconds() });

export const agentEvents = {
  start: (message: string, streamId: string): S.StartEvent => ({ type: 'start', ...base(), message, streamId }),
  thought: (thoughtType: S.ThoughtEvent['thoughtType'], content: string, sources: string[] = []): S.ThoughtEvent => ({
    type: 'thought',
    ...base(),
    thoughtType,
    content,
    sources,
  }),
  planStep: (stepId: string, description: string, confidence: number): S.PlanStepEvent => ({
    type: 'plan_step',
    ...base(),
    stepId,
    description,
    status: 'pending',
    confidence,
  }),
  planStepUpdate: (stepId: string, status: S.PlanStepUpdateEvent['status'], progress: number): S.PlanStepUpdateEvent => ({
    type: 'plan_step_update',
    ...base(),
    stepId,
    status,
    progress,
  }),
  tool: (
    toolName: string,
    toolArgs: Record<string, unknown>,
    status: S.ToolExecutionEvent['status'],
    requiresApproval: boolean,
    extra: { result?: unknown; error?: string } = {},
  ): S.ToolExecutionEvent => ({ type: 'tool_execution', ...base(), toolName, toolArgs, status, requiresApproval, ...extra }),
  hitl: (h: Omit<S.HitlEvent, 'type' | 'version' | 'timestamp' | 'requiresApproval'>): S.HitlEvent => ({
    type: 'hitl',
    ...base(),
    ...h,
    requiresApproval: true,
  }),
  content: (content: string, chunk?: number): S.ContentEvent => ({ type: 'content', ...base(), content, ...(chunk === undefined ? {} : { chunk }) }),
  failed: (message: string, error: string, errorType: string): S.FailedEvent => ({ type: 'failed', ...base(), message, error, errorType }),
  error: errorEvent,
  end: (message: string, status: NonNullable<S.EndEvent['status']>): S.EndEvent => ({ type: 'end', ...base(), message, status }),
};
