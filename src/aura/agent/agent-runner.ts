import type { AuraAgentRunRecord, HitlSignal } from '../../../generated/schemas';
import { operations, type StartAgentStreamEvents } from '../../../generated/server/operations';
import { isIdentifier, newId } from '../../shared/ids';
import type { Logger } from '../../shared/logger';
import { unixSeconds } from '../../shared/time';
import type { ActionRecorder } from '../actions/action-recorder';
import type { HitlStore } from '../hitl/hitl-store';
import type { SignalWaiter, Waiter } from '../hitl/signal-waiter';
import { LogEmitter } from '../streams/emitter';
import type { StreamLog } from '../streams/stream-log';
import type { AgentRunStore, Lease } from './run-store';
import { agentEvents as ev } from './events';
import { type AgentInput, type Finding, type Outcome, type ReasoningProvider, inspectContext } from './reasoning';

type Emitter = LogEmitter<StartAgentStreamEvents>;

export interface AgentRunnerDeps {
  log: StreamLog;
  runs: AgentRunStore;
  hitl: HitlStore;
  waiter: SignalWaiter;
  recorder: ActionRecorder;
  reasoning: ReasoningProvider;
  hitlTimeoutSeconds: number;
  logger: Logger;
}

export interface StartRequest {
  tenantId: string;
  userId: string;
  prompt: string;
  context: Record<string, unknown>;
}

class Aborted extends Error {}

const CASE_IN_PROMPT = /\b([A-Z]{2,}[0-9]{3,})\b/;

function caseIdOf(prompt: string, context: Record<string, unknown>, fallback: string): string {
  if (isIdentifier(context.caseId)) return context.caseId;
  if (typeof context.caseId === 'number') return String(context.caseId);
  const m = CASE_IN_PROMPT.exec(prompt);
  return m ? m[1] : fallback;
}

function proposalFor(input: AgentInput, findings: Finding[]): { actionType: string; toolName: string } {
  const block = /block|차단|중복|duplicate/i.test(input.prompt) || findings.some((f) => f.rule !== 'AMOUNT_OVER_LIMIT');
  return block ? { actionType: 'PAYMENT_BLOCK', toolName: 'block_payment' } : { actionType: 'REQUEST_INFO', toolName: 'request_info' };
}

/**
 * Drives agent runs: every event goes to the stream log (the HTTP responses only tail it), run
 * state lives in Redis, and a lease says which instance drives a run — so any instance can
 * serve a resume, and another one can finish a run whose owner died during the HITL wait.
 */
export class AgentRunner {
  private readonly active = new Map<string, AbortController>();
  private readonly validators = operations.StartAgentStream.sseEvents;

  constructor(private readonly d: AgentRunnerDeps) {}

  /** Creates the run and starts driving it in the background; resolves once it is recorded. */
  async start(req: StartRequest): Promise<string> {
    const streamId = newId('stream');
    const docKey = typeof req.context.docKey === 'string' && req.context.docKey.length <= 128 ? req.context.docKey : undefined;
    const record: AuraAgentRunRecord = {
      streamId,
      tenantId: req.tenantId,
      userId: req.userId,
      caseId: caseIdOf(req.prompt, req.context, streamId),
      phase: 'running',
      createdAt: unixSeconds(),
      ...(docKey ? { docKey } : {}),
    };
    const lease = await this.d.runs.acquire(streamId);
    if (!lease) throw new Error(`fresh stream ${streamId} already has an owner`);
    await this.d.runs.save(record);
    const input: AgentInput = { prompt: req.prompt, context: req.context, caseId: record.caseId, ...(docKey ? { docKey } : {}) };
    this.track(streamId, lease, (signal) => this.drive(record, input, signal));
    return streamId;
  }

  /**
   * Called by readers while a stream is quiet: if its run has no live owner, take it over —
   * continue a HITL wait (the decision may come or may already be stored), or end a run that
   * died mid-way honestly with `failed`.
   */
  async adoptIfOrphaned(streamId: string): Promise<void> {
    if (this.active.has(streamId)) return;
    const record = await this.d.runs.get(streamId);
    if (!record || record.phase === 'finished') return;
    if (await this.d.runs.leaseHeld(streamId)) return;
    const lease = await this.d.runs.acquire(streamId);
    if (!lease) return;
    this.d.logger.info({ streamId, phase: record.phase }, 'adopting an orphaned agent run');
    this.track(streamId, lease, async (signal) => {
      const emitter = this.emitter(streamId);
      const hitl = record.hitl;
      if (record.phase === 'hitl_wait' && hitl) {
        const waiter = await this.d.waiter.wait(hitl.sessionId, hitl.requestId);
        await waiter.checkStored();
        await this.awaitDecision(record, emitter, waiter, hitl.expiresAt * 1000, signal);
        return;
      }
      await emitter.emit('failed', ev.failed('The run was interrupted', 'the instance driving this run stopped', 'RunInterrupted'));
      await emitter.emit('error', ev.error('the instance driving this run stopped', 'RunInterrupted'));
      await emitter.emit('end', ev.end('Run interrupted', 'failed'));
      await this.finish(record, emitter);
    });
  }

  runOf(streamId: string): Promise<AuraAgentRunRecord | null> {
    return this.d.runs.get(streamId);
  }

  /** Stops driving runs in this process (graceful shutdown); their leases are released so another instance adopts them. */
  async close(): Promise<void> {
    for (const ac of this.active.values()) ac.abort();
    this.active.clear();
  }

  private emitter(streamId: string): Emitter {
    return new LogEmitter<StartAgentStreamEvents>(this.d.log, streamId, this.validators);
  }

  private track(streamId: string, lease: Lease, body: (signal: AbortSignal) => Promise<void>): void {
    const ac = new AbortController();
    this.active.set(streamId, ac);
    body(ac.signal)
      .catch(async (err) => {
        if (err instanceof Aborted || ac.signal.aborted) return;
        this.d.logger.error({ err, streamId }, 'agent run failed');
        await this.failRun(streamId, err as Error).catch((e) => this.d.logger.error({ err: e, streamId }, 'could not end a failed run'));
      })
      .finally(async () => {
        if (this.active.get(streamId) === ac) this.active.delete(streamId);
        await lease.release();
      });
  }

  private async failRun(streamId: string, err: Error): Promise<void> {
    const emitter = this.emitter(streamId);
    await emitter.emit('failed', ev.failed('The run failed', err.message, err.name || 'Error'));
    await emitter.emit('error', ev.error(err.message, err.name || 'Error'));
    await emitter.emit('end', ev.end('Run failed', 'failed'));
    const record = await this.d.runs.get(streamId);
    if (record) await this.finish(record, emitter);
    else await emitter.finish();
  }

  private async drive(record: AuraAgentRunRecord, input: AgentInput, signal: AbortSignal): Promise<void> {
    const e = this.emitter(record.streamId);
    const r = this.d.reasoning;
    const check = () => {
      if (signal.aborted) throw new Aborted();
    };
    await e.emit('start', ev.start(`Aura started on case ${record.caseId}`, record.streamId));
    const findings = inspectContext(input);
    await e.emit('thought', ev.thought('analysis', await r.analyse(input, findings), [`case:${record.caseId}`]));
    check();
    const steps = [
      ['collect', 'Collect the case evidence', 0.95],
      ['check', 'Check the document against duplicate and limit rules', 0.85],
      ['propose', 'Propose an action for human approval', 0.9],
    ] as const;
    for (const [id, desc, conf] of steps) await e.emit('plan_step', ev.planStep(id, desc, conf));

    const caseArgs = { caseId: record.caseId, ...(record.docKey ? { docKey: record.docKey } : {}) };
    await e.emit('plan_step_update', ev.planStepUpdate('collect', 'in_progress', 0));
    await e.emit('tool_execution', ev.tool('lookup_case', caseArgs, 'running', false));
    await e.emit('tool_execution', ev.tool('lookup_case', caseArgs, 'success', false, { result: { caseId: record.caseId, contextFields: Object.keys(input.context).length } }));
    await e.emit('plan_step_update', ev.planStepUpdate('collect', 'completed', 100));
    await e.emit('plan_step_update', ev.planStepUpdate('check', 'in_progress', 0));
    await e.emit('tool_execution', ev.tool('check_rules', caseArgs, 'running', false));
    await e.emit('tool_execution', ev.tool('check_rules', caseArgs, 'success', false, { result: { findings } }));
    await e.emit('plan_step_update', ev.planStepUpdate('check', 'completed', 100));
    check();

    const { actionType, toolName } = proposalFor(input, findings);
    const decisionText = await r.decide(input, findings, actionType);
    await e.emit('thought', ev.thought('decision', decisionText, findings.map((f) => `rule:${f.rule}`)));
    await e.emit('plan_step_update', ev.planStepUpdate('propose', 'in_progress', 50));
    await e.emit('tool_execution', ev.tool(toolName, caseArgs, 'pending', true));
    check();

    // HITL (brief §6 step 1): a session unique to this stream; records first, subscribe, then
    // emit `hitl`, then read the stored signal so a decision made in between is not lost.
    const requestId = newId('req');
    const sessionId = newId('sess');
    const deadlineMs = Date.now() + this.d.hitlTimeoutSeconds * 1000;
    const expiresAt = Math.ceil(deadlineMs / 1000);
    const context = { ...caseArgs, toolName, streamId: record.streamId };
    await this.d.hitl.create({
      requestId,
      sessionId,
      userId: record.userId,
      tenantId: record.tenantId,
      actionType,
      message: decisionText,
      context,
      status: 'pending',
      createdAt: unixSeconds(),
    });
    record.phase = 'hitl_wait';
    record.hitl = { requestId, sessionId, actionType, expiresAt };
    await this.d.runs.save(record);
    const waiter = await this.d.waiter.wait(sessionId, requestId);
    try {
      await e.emit('hitl', ev.hitl({ requestId, sessionId, actionType, message: decisionText, context, expiresAt }));
      await waiter.checkStored();
    } catch (err) {
      waiter.cancel();
      throw err;
    }
    await this.awaitDecision(record, e, waiter, deadlineMs, signal);
  }

  private async awaitDecision(record: AuraAgentRunRecord, e: Emitter, waiter: Waiter, deadlineMs: number, signal: AbortSignal): Promise<void> {
    const hitl = record.hitl!;
    let timer: NodeJS.Timeout | undefined;
    let onAbort: (() => void) | undefined;
    const outcome = await Promise.race([
      waiter.decision,
      new Promise<null>((resolve) => {
        timer = setTimeout(() => resolve(null), Math.max(0, deadlineMs - Date.now()));
      }),
      new Promise<never>((_, reject) => {
        onAbort = () => reject(new Aborted());
        signal.addEventListener('abort', onAbort, { once: true });
      }),
    ]).finally(() => {
      clearTimeout(timer);
      if (onAbort) signal.removeEventListener('abort', onAbort);
      waiter.cancel();
    });
    const input: AgentInput = { prompt: '', context: {}, caseId: record.caseId, ...(record.docKey ? { docKey: record.docKey } : {}) };
    const toolName = hitl.actionType === 'PAYMENT_BLOCK' ? 'block_payment' : 'request_info';
    const toolArgs = { caseId: record.caseId, ...(record.docKey ? { docKey: record.docKey } : {}) };
    const base = { tenantId: record.tenantId, caseId: record.caseId, requestId: hitl.requestId, ...(record.docKey ? { docKey: record.docKey } : {}) };

    if (outcome === null) {
      const msg = `No decision within the HITL timeout; case ${record.caseId} is on hold`;
      await e.emit('failed', ev.failed(msg, 'HITL decision timed out', 'TimeoutError'));
      await e.emit('error', ev.error('HITL decision timed out', 'TimeoutError', msg));
      await this.d.recorder.record({ ...base, executorId: 'system', actionType: 'TIMEOUT' });
      await e.emit('end', ev.end('Run ended without a decision', 'failed'));
      await this.finish(record, e);
      return;
    }
    const o: Outcome = outcome.type === 'approval' ? { kind: 'approved' } : { kind: 'rejected', reason: (outcome as Extract<HitlSignal, { type: 'rejection' }>).reason };
    const executorId = await this.deciderOf(hitl.requestId, o.kind);
    if (o.kind === 'approved') {
      await e.emit('tool_execution', ev.tool(toolName, toolArgs, 'success', true, { result: { executed: true, requestId: hitl.requestId } }));
    } else {
      await e.emit('tool_execution', ev.tool(toolName, toolArgs, 'cancelled', true, { error: o.reason || 'rejected' }));
    }
    await e.emit('content', ev.content(await this.d.reasoning.conclude(input, hitl.actionType, o), 0));
    await this.d.recorder.record({
      ...base,
      executorId,
      actionType: o.kind === 'approved' ? 'APPROVE' : 'REJECT',
      ...(o.kind === 'rejected' && o.reason ? { comment: o.reason } : {}),
    });
    await e.emit('end', ev.end(o.kind === 'approved' ? 'Action approved and executed' : 'Action rejected', o.kind));
    await this.finish(record, e);
  }

  /** The decider as the backend recorded it on `hitl:request` (the signal itself does not name them). */
  private async deciderOf(requestId: string, kind: Outcome['kind']): Promise<string> {
    const req = await this.d.hitl.request(requestId).catch(() => null);
    const who = kind === 'approved' ? req?.approvedBy : req?.rejectedBy;
    return who ?? 'unknown';
  }

  private async finish(record: AuraAgentRunRecord, e: Emitter): Promise<void> {
    record.phase = 'finished';
    await this.d.runs.save(record);
    await e.finish();
  }
}
