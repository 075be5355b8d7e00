import type { StartAgentStreamEvents } from '../../../../generated/server/operations';
import type { Logger } from '../../../shared/logger';
import type { LogEmitter } from '../../streams/emitter';
import type { LogEntry } from '../../ports';
import { agentEvents as ev } from '../events';
import { type ChatClient, type ChatMessage, type ChatTurn, ModelError } from './chat-client';
import type { CaseScope } from './case-scope';
import { conclusionMessage, type Decision, openingMessages } from './prompt';
import type { ReadTools } from './read-tools';
import { checkCall, toolSpecs } from './tools';
import { transcriptOf } from './transcript';

type Emitter = LogEmitter<StartAgentStreamEvents>;
type StepStatus = 'pending' | 'in_progress' | 'completed' | 'failed' | 'skipped';

export interface Proposal {
  actionType: string;
  toolName: string;
  toolArgs: Record<string, unknown>;
  message: string;
}

export type ProposeResult = { kind: 'proposal'; proposal: Proposal } | { kind: 'fallback'; reason: string; openSteps: string[] };

const PROGRESS: Record<StepStatus, number> = { pending: 0, in_progress: 50, completed: 100, failed: 100, skipped: 100 };
const MAX_PLAN_STEPS = 24;

/**
 * The agent loop on a chat-completions model: each turn's words become thoughts, `plan` calls
 * become plan steps, read tools run and their results go back to the model. The loop ends at
 * the first action the model proposes — returned to the runner's HITL gate, never executed
 * here — or at the first thing it cannot trust (an error, a timeout, garbage, an unknown tool,
 * arguments its schema refuses), which hands the run to the built-in agent.
 */
export class ModelAgent {
  constructor(
    private readonly client: ChatClient,
    private readonly tools: ReadTools,
    private readonly limits: { maxSteps: number; contextChars: number },
    private readonly logger: Logger,
  ) {}

  get model(): string {
    return this.client.model;
  }

  async propose(s: CaseScope, e: Emitter, check: () => void, signal: AbortSignal): Promise<ProposeResult> {
    const messages: ChatMessage[] = openingMessages(s, this.limits.contextChars);
    const sources = [`model:${this.model}`, `case:${s.caseId}`];
    const plan = new Map<string, StepStatus>();
    let thoughts = 0;
    const fail = (reason: string): ProposeResult => {
      this.logger.warn({ caseId: s.caseId, reason }, 'model agent handed the run to the built-in agent');
      return { kind: 'fallback', reason, openSteps: [...plan].filter(([, st]) => st === 'pending' || st === 'in_progress').map(([id]) => id) };
    };
    // The stream's order (start → thought → plan_step → tool_execution) holds whatever the model
    // does first: a silent model gets a thought naming its calls, a planless one a default plan.
    const ensureThought = async (names: string[]) => {
      if (thoughts > 0) return;
      thoughts++;
      await e.emit('thought', ev.thought('planning', `${this.model} works on case ${s.caseId}: ${names.join(', ')}`, sources));
    };
    const ensurePlan = async () => {
      if (plan.size > 0) return;
      for (const [id, desc] of [
        ['investigate', 'Investigate the case with the tools'],
        ['propose', 'Propose an action for human approval'],
      ] as const) {
        plan.set(id, 'pending');
        await e.emit('plan_step', ev.planStep(id, desc, 0.8));
      }
    };

    for (let step = 0; step < this.limits.maxSteps; step++) {
      let turn: ChatTurn;
      try {
        turn = await this.client.turn(messages, toolSpecs, undefined, signal);
      } catch (err) {
        if (!(err instanceof ModelError)) throw err;
        return fail(`failed (${err.kind}: ${err.message})`);
      }
      check();
      const checked = turn.toolCalls.map(checkCall);
      const words = [turn.reasoning, turn.text].map((x) => x.trim()).filter(Boolean).join('\n');
      const proposes = checked.some((c) => c.ok && c.def.effect === 'action');
      if (words) {
        await e.emit('thought', ev.thought(proposes ? 'decision' : thoughts === 0 ? 'analysis' : 'reasoning', words, sources));
        thoughts++;
      }
      // The whole turn is checked before any of it runs: one bad call and none of them do.
      const bad = checked.find((c) => !c.ok);
      if (bad && !bad.ok) return fail(bad.reason);
      if (checked.length === 0) return fail('ended its turn without proposing an action');
      messages.push({ role: 'assistant', content: turn.text || null, tool_calls: turn.toolCalls });
      const names = turn.toolCalls.map((c) => c.function.name);
      for (const c of checked) {
        if (!c.ok) continue;
        await ensureThought(names);
        if (c.def.effect === 'plan') {
          const result = await this.applyPlan(c.args.steps as { id: string; description: string; status?: StepStatus; confidence?: number }[], plan, e);
          messages.push({ role: 'tool', tool_call_id: c.call.id, content: JSON.stringify(result) });
          continue;
        }
        await ensurePlan();
        if (c.def.effect === 'action') {
          if (c.args.caseId !== s.caseId) return fail(`proposed ${c.def.name} for case "${String(c.args.caseId).slice(0, 64)}", not this run's case ${s.caseId}`);
          const toolArgs = this.actionArgs(c.args, s);
          await e.emit('tool_execution', ev.tool(c.def.name, toolArgs, 'pending', true));
          return { kind: 'proposal', proposal: { actionType: c.def.actionType!, toolName: c.def.name, toolArgs, message: String(c.args.reason) } };
        }
        await e.emit('tool_execution', ev.tool(c.def.name, c.args, 'running', false));
        const r = await this.tools.run(c.def.name, c.args, s);
        await e.emit('tool_execution', ev.tool(c.def.name, c.args, r.ok ? 'success' : 'failed', false, r.ok ? { result: r.result } : { error: r.error }));
        messages.push({ role: 'tool', tool_call_id: c.call.id, content: JSON.stringify(r.ok ? r.result : { error: r.error }) });
        check();
      }
    }
    return fail(`did not propose an action within ${this.limits.maxSteps} steps`);
  }

  /**
   * Streams the final answer as content deltas (chunk 0, 1, …). A model that fails here is
   * replaced by the built-in words; a half-written answer is finished by them, marked as such.
   */
  async conclude(s: CaseScope, entries: readonly LogEntry[], d: Decision, e: Emitter, builtinText: () => Promise<string>, signal: AbortSignal): Promise<void> {
    const messages = [...openingMessages(s, this.limits.contextChars), conclusionMessage(transcriptOf(entries, this.limits.contextChars), d)];
    let chunk = 0;
    try {
      await this.client.turn(messages, undefined, async (delta) => void (await e.emit('content', ev.content(delta, chunk++))), signal);
      if (chunk === 0) throw new ModelError('malformed', 'an empty answer');
    } catch (err) {
      if (!(err instanceof ModelError)) throw err;
      this.logger.warn({ caseId: s.caseId, err: err.message }, 'model failed on the conclusion; the built-in agent writes it');
      const text = await builtinText();
      await e.emit('content', ev.content(chunk === 0 ? text : `\n\n(The model stopped answering; Aura's built-in agent ends the answer.) ${text}`, chunk));
    }
  }

  private async applyPlan(steps: { id: string; description: string; status?: StepStatus; confidence?: number }[], plan: Map<string, StepStatus>, e: Emitter) {
    let added = 0;
    let updated = 0;
    for (const st of steps) {
      const known = plan.get(st.id);
      if (known === undefined) {
        if (plan.size >= MAX_PLAN_STEPS) continue;
        plan.set(st.id, 'pending');
        added++;
        await e.emit('plan_step', ev.planStep(st.id, st.description, st.confidence ?? 0.8));
      }
      if (st.status && st.status !== plan.get(st.id)) {
        plan.set(st.id, st.status);
        updated++;
        await e.emit('plan_step_update', ev.planStepUpdate(st.id, st.status, PROGRESS[st.status]));
      }
    }
    return { ok: true, added, updated };
  }

  /** What the action will run with: this run's case (never the model's word for it), the ids normalised to strings. */
  private actionArgs(args: Record<string, unknown>, s: CaseScope): Record<string, unknown> {
    const docId = args.docId ?? s.target.docId;
    const itemId = args.itemId ?? s.target.itemId;
    return {
      caseId: s.caseId,
      ...(s.docKey ? { docKey: s.docKey } : {}),
      ...(docId !== undefined ? { docId: String(docId) } : {}),
      ...(itemId !== undefined ? { itemId: String(itemId) } : {}),
      reason: args.reason,
    };
  }
}
