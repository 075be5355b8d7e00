import type { AuraAgentJobRecord, AuraAgentRunRecord, HitlSignal } from '../../../generated/schemas';
import { operations, type StartAgentStreamEvents } from '../../../generated/server/operations';
import { isIdentifier, newId } from '../../shared/ids';
import type { Logger } from '../../shared/logger';
import { unixSeconds } from '../../shared/time';
import type { ActionRecorder } from '../actions/action-recorder';
import type { HitlStore } from '../hitl/hitl-store';
import type { SignalWaiter, Waiter } from '../hitl/signal-waiter';
import { LogEmitter } from '../streams/emitter';
import { DONE_ENTRY, type Fence, type StreamLog } from '../streams/stream-log';
import { Aborted, DrivenRuns } from '../runs/driven-runs';
import type { RunLeases } from '../runs/leases';
import type { Sweepable } from '../runs/sweeper';
import type { AgentRunStore } from './run-store';
import { agentEvents as ev } from './events';
import { type AgentInput, type Finding, type Outcome, type ReasoningProvider, inspectContext } from './reasoning';
import { caseScope } from './llm/case-scope';
import type { ModelAgent, Proposal } from './llm/model-agent';
import type { Decision } from './llm/prompt';
import { FALLBACK_SOURCE, fellBack, proposedAction } from './llm/transcript';

type Emitter = LogEmitter<StartAgentStreamEvents>;

export interface AgentRunnerDeps {
  log: StreamLog;
  runs: AgentRunStore;
  leases: RunLeases;
  hitl: HitlStore;
  waiter: SignalWaiter;
  recorder: ActionRecorder;
  reasoning: ReasoningProvider;
  /** The agent loop on a configured model; without one the built-in agent drives every run. */
  model?: ModelAgent;
  hitlTimeoutSeconds: number;
  logger: Logger;
}

export interface StartRequest {
  tenantId: string;
  userId: string;
  prompt: string;
  context: Record<string, unknown>;
}

/** `req-…` / `sess-…` from the run's stream id (`stream-<uuid>`). */
function hitlIdOf(prefix: 'req' | 'sess', streamId: string): string {
  return `${prefix}-${streamId.replace(/^stream-/, '')}`;
}

// Case ids as people type them: DEMO00001, CASE-2026-0001, AP-17-003.
const CASE_IN_PROMPT = /\b([A-Z]{2,}(?:-?[0-9]{2,})+)\b/;

export function caseIdOf(prompt: string, context: Record<string, unknown>, fallback: string): string {
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
 * state lives in Redis, and a lease says which instance drives a run. Runs whose lease lapses
 * (the owner died or shut down) are claimed by any instance's sweeper and continued from what
 * the log and the run record say — the HITL wait included, at its original deadline.
 */
export class AgentRunner implements Sweepable {
  private readonly validators = operations.StartAgentStream.sseEvents;
  private readonly runs: DrivenRuns;

  constructor(private readonly d: AgentRunnerDeps) {
    this.runs = new DrivenRuns({
      leases: d.leases,
      logger: d.logger,
      kind: 'agent run',
      continueRun: (streamId, signal, fence) => this.continueRun(streamId, signal, fence),
      onFailure: async (streamId, err, fence) => {
        this.d.logger.error({ err, streamId }, 'agent run failed');
        try {
          await this.failRun(streamId, err, fence);
          return true;
        } catch (e) {
          // Leave the lease to lapse: a sweeper retries ending the run.
          this.d.logger.error({ err: e, streamId }, 'could not end a failed run');
          return false;
        }
      },
    });
  }

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
    // Lease and index entry first: if this process dies right after, the sweeper finds an
    // indexed run without a record and simply drops the entry (nobody saw the stream yet).
    const claim = await this.runs.acquire(streamId);
    if (!claim) throw new Error(`fresh stream ${streamId} already has an owner`);
    // The request is kept with the record: whoever takes the run over can drive it again.
    await this.d.runs.create(record, { streamId, prompt: req.prompt, context: req.context as AuraAgentJobRecord['context'] });
    const input: AgentInput = { prompt: req.prompt, context: req.context, caseId: record.caseId, ...(docKey ? { docKey } : {}) };
    this.runs.drive(streamId, claim, (signal, fence) => this.drive(record, input, signal, fence));
    return streamId;
  }

  /** The sweeper's entry: claim runs whose owner stopped renewing, and continue them. */
  adoptLapsed(): Promise<void> {
    return this.runs.adoptLapsed();
  }

  runOf(streamId: string): Promise<AuraAgentRunRecord | null> {
    return this.d.runs.get(streamId);
  }

  /** Stops driving runs in this process (graceful shutdown): leases stop renewing and are handed over. */
  close(): Promise<void> {
    return this.runs.close();
  }

  private emitter(streamId: string, fence: Fence, alreadyLogged: readonly string[] = []): Emitter {
    return new LogEmitter<StartAgentStreamEvents>(this.d.log, streamId, this.validators, fence, alreadyLogged);
  }

  private async failRun(streamId: string, err: Error, fence: Fence): Promise<void> {
    const emitter = this.emitter(streamId, fence);
    await emitter.emit('failed', ev.failed('The run failed', err.message, err.name || 'Error'));
    await emitter.emit('error', ev.error(err.message, err.name || 'Error'));
    await emitter.emit('end', ev.end('Run failed', 'failed'));
    const record = await this.d.runs.get(streamId);
    if (record) await this.finish(record, emitter);
    else await emitter.finish();
  }

  /**
   * Drives a run from its start. `alreadyLogged`: the events an earlier owner wrote before it
   * stopped (a re-drive after a takeover); the same steps run again and those are not rewritten.
   */
  private async drive(record: AuraAgentRunRecord, input: AgentInput, signal: AbortSignal, fence: Fence, alreadyLogged: readonly string[] = []): Promise<void> {
    const check = () => {
      if (signal.aborted) throw new Aborted();
    };
    const model = this.d.model;
    // A model's run cannot be replayed (asked again, it says something else), so a re-drive of one
    // that got past `start` appends after what is logged, and the built-in agent finishes it.
    const resumeWithBuiltin = !!model && alreadyLogged.length > 1;
    const e = this.emitter(record.streamId, fence, resumeWithBuiltin ? [] : alreadyLogged);
    let proposal: Proposal | undefined;
    if (resumeWithBuiltin) {
      await this.handOver(e, 'The instance driving this run stopped before its HITL wait', []);
    } else {
      await e.emit('start', ev.start(`Aura started on case ${record.caseId}`, record.streamId));
      if (model) {
        const r = await model.propose(caseScope(record.tenantId, input), e, check, signal);
        if (r.kind === 'proposal') proposal = r.proposal;
        else await this.handOver(e, `The model (${model.model}) ${r.reason}`, r.openSteps);
      }
    }
    proposal ??= await this.builtinProposal(record, input, e, check);
    check();
    await this.gate(record, e, proposal, signal);
  }

  /** Says in the stream that the built-in agent has the run now; the model's unfinished steps are skipped. */
  private async handOver(e: Emitter, reason: string, openSteps: string[]): Promise<void> {
    for (const id of openSteps) await e.emit('plan_step_update', ev.planStepUpdate(id, 'skipped', 100));
    await e.emit('thought', ev.thought('reflection', `${reason}; Aura's built-in agent takes over for the rest of this run.`, [FALLBACK_SOURCE]));
  }

  /** The built-in agent: fixed plan, deterministic checks, one proposal. */
  private async builtinProposal(record: AuraAgentRunRecord, input: AgentInput, e: Emitter, check: () => void): Promise<Proposal> {
    const r = this.d.reasoning;
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
    return { actionType, toolName, toolArgs: caseArgs, message: decisionText };
  }

  /**
   * The HITL gate. Whoever proposed the action (model or built-in agent), it only ever runs in
   * `conclude`, on an approval signal from Redis: nothing a model says or reads reaches here.
   */
  private async gate(record: AuraAgentRunRecord, e: Emitter, proposal: Proposal, signal: AbortSignal): Promise<void> {
    const { actionType, toolName, message: decisionText } = proposal;
    const caseArgs = { caseId: record.caseId, ...(record.docKey ? { docKey: record.docKey } : {}) };
    // HITL (brief §6 step 1): a session unique to this stream; records first, subscribe, then
    // emit `hitl`, then read the stored signal so a decision made in between is not lost.
    // Named after the stream (one HITL request per run): an owner that dies between creating
    // the request and recording the wait leaves a request its re-drive writes again, not an orphan.
    const requestId = hitlIdOf('req', record.streamId);
    const sessionId = hitlIdOf('sess', record.streamId);
    const deadlineMs = Date.now() + this.d.hitlTimeoutSeconds * 1000;
    const expiresAt = Math.ceil(deadlineMs / 1000);
    const context = { ...caseArgs, toolName, streamId: record.streamId };
    // The request in force: this one, or the one a dead owner of this run already wrote.
    const request = await this.d.hitl.create({
      requestId,
      sessionId,
      userId: record.userId,
      tenantId: record.tenantId,
      actionType,
      message: decisionText,
      context,
      status: 'pending',
      createdAt: unixSeconds(),
      // Stored with the request so the approvals inbox (and the backend's decision message) can show the deadline.
      expiresAt,
    });
    // The wait is recorded before `hitl` is emitted: whoever takes the run over knows the
    // request, the session and the deadline (and emits `hitl` itself if it is not logged yet).
    record.phase = 'hitl_wait';
    record.hitl = { requestId, sessionId, actionType, expiresAt };
    await this.d.runs.save(record);
    const waiter = await this.d.waiter.wait(sessionId, requestId);
    try {
      await e.emit('hitl', ev.hitl({ requestId, sessionId, actionType, message: request.message ?? decisionText, context: request.context, expiresAt }));
      await waiter.checkStored();
    } catch (err) {
      waiter.cancel();
      throw err;
    }
    await this.awaitDecision(record, e, waiter, deadlineMs, signal);
  }

  /**
   * Continues a run another instance was driving, from what Redis says: the run record (phase,
   * HITL wait) and the stream log (which events were already written). Events the log has are
   * not written again; the deadline is the one recorded, not a fresh one.
   */
  private async continueRun(streamId: string, signal: AbortSignal, fence: Fence): Promise<void> {
    const record = await this.d.runs.get(streamId);
    if (!record) return; // never recorded or expired: nothing to continue, the index entry goes
    const names = (await this.d.log.range(streamId, 0)).map((x) => x.event);
    if (names.includes(DONE_ENTRY)) {
      if (record.phase !== 'finished') await this.d.runs.save({ ...record, phase: 'finished' });
      return;
    }
    const hitl = record.hitl;
    if (record.phase === 'hitl_wait' && hitl) {
      const at = names.indexOf('hitl');
      const e = this.emitter(streamId, fence, at < 0 ? [] : names.slice(at + 1));
      const waiter = await this.d.waiter.wait(hitl.sessionId, hitl.requestId);
      try {
        if (at < 0) await e.emit('hitl', await this.hitlEventOf(record));
        await waiter.checkStored();
      } catch (err) {
        waiter.cancel();
        throw err;
      }
      if (e.alreadyHas('failed')) {
        // The owner had already timed the run out: it stays timed out, even if a late decision is stored.
        waiter.cancel();
        return this.conclude(record, e, null, signal);
      }
      return this.awaitDecision(record, e, waiter, hitl.expiresAt * 1000, signal);
    }
    // Died before the HITL wait: drive it again from the stored request; the events the log
    // has are skipped. A run started before requests were stored (or whose request expired)
    // cannot be re-driven: end it honestly.
    const job = await this.d.runs.job(streamId);
    if (job) {
      const docKey = record.docKey;
      const input: AgentInput = { prompt: job.prompt, context: job.context, caseId: record.caseId, ...(docKey ? { docKey } : {}) };
      return this.drive(record, input, signal, fence, names);
    }
    const at = names.indexOf('failed');
    const e = this.emitter(streamId, fence, at < 0 ? [] : names.slice(at));
    await e.emit('failed', ev.failed('The run was interrupted', 'the instance driving this run stopped', 'RunInterrupted'));
    await e.emit('error', ev.error('the instance driving this run stopped', 'RunInterrupted'));
    await e.emit('end', ev.end('Run interrupted', 'failed'));
    await this.finish(record, e);
  }

  /** The `hitl` event as the owner would have emitted it, rebuilt from the stored request. */
  private async hitlEventOf(record: AuraAgentRunRecord) {
    const hitl = record.hitl!;
    const req = await this.d.hitl.request(hitl.requestId);
    return ev.hitl({
      requestId: hitl.requestId,
      sessionId: hitl.sessionId,
      actionType: hitl.actionType,
      message: req?.message ?? `Approval needed: ${hitl.actionType} on case ${record.caseId}`,
      context: req?.context ?? { caseId: record.caseId, streamId: record.streamId },
      expiresAt: hitl.expiresAt,
    });
  }

  private async awaitDecision(record: AuraAgentRunRecord, e: Emitter, waiter: Waiter, deadlineMs: number, signal: AbortSignal): Promise<void> {
    let timer: NodeJS.Timeout | undefined;
    let onAbort: (() => void) | undefined;
    const outcome = await Promise.race([
      waiter.decision,
      new Promise<null>((resolve) => {
        timer = setTimeout(() => resolve(null), Math.max(0, deadlineMs - Date.now()));
      }),
      new Promise<never>((_, reject) => {
        onAbort = () => reject(new Aborted());
        if (signal.aborted) onAbort();
        else signal.addEventListener('abort', onAbort, { once: true });
      }),
    ]).finally(() => {
      clearTimeout(timer);
      if (onAbort) signal.removeEventListener('abort', onAbort);
      waiter.cancel();
    });
    await this.conclude(record, e, outcome ?? (await this.expireOrDecided(record)), signal);
  }

  /**
   * The deadline passed: expire the request atomically, so a decision arriving later is refused
   * (409) instead of approving a case that is already on hold. If the backend's decision won the
   * race, its signal may not have reached us yet: conclude with it rather than with a timeout.
   */
  private async expireOrDecided(record: AuraAgentRunRecord): Promise<HitlSignal | null> {
    const hitl = record.hitl!;
    const r = await this.d.hitl.expire(hitl.requestId, unixSeconds());
    if (r.expired || !r.record) return null;
    const stored = await this.d.hitl.signal(hitl.sessionId);
    if (stored && stored.requestId === hitl.requestId) return stored;
    const rec = r.record;
    if (rec.status === 'approved') return { type: 'approval', requestId: rec.requestId, status: 'approved', timestamp: rec.approvedAt ?? unixSeconds() };
    if (rec.status === 'rejected') return { type: 'rejection', requestId: rec.requestId, status: 'rejected', reason: rec.reason ?? '', timestamp: rec.rejectedAt ?? unixSeconds() };
    return null;
  }

  /** The rest of the run once the decision (or its absence, `null`) is known. */
  private async conclude(record: AuraAgentRunRecord, e: Emitter, outcome: HitlSignal | null, signal: AbortSignal): Promise<void> {
    const hitl = record.hitl!;
    const base = { tenantId: record.tenantId, caseId: record.caseId, requestId: hitl.requestId, ...(record.docKey ? { docKey: record.docKey } : {}) };

    if (outcome === null) {
      const msg = `No decision within the HITL timeout; case ${record.caseId} is on hold`;
      await e.emit('failed', ev.failed(msg, 'HITL decision timed out', 'TimeoutError'));
      await e.emit('error', ev.error('HITL decision timed out', 'TimeoutError', msg));
      // Once-only per request (marker + publish in one script), so a takeover cannot publish it twice.
      await this.d.recorder.record({ ...base, executorId: 'system', actionType: 'TIMEOUT' });
      await e.emit('end', ev.end('Run ended without a decision', 'failed'));
      await this.finish(record, e);
      return;
    }
    // The request the run was started with, from the stored job: the owner and an instance that
    // took the run over conclude with the same prompt and context.
    const job = await this.d.runs.job(record.streamId);
    const input: AgentInput = { prompt: job?.prompt ?? '', context: job?.context ?? {}, caseId: record.caseId, ...(record.docKey ? { docKey: record.docKey } : {}) };
    const model = this.d.model;
    const entries = model ? await this.d.log.range(record.streamId, 0) : [];
    const logged = proposedAction(entries);
    const toolName = logged?.toolName ?? (hitl.actionType === 'PAYMENT_BLOCK' ? 'block_payment' : 'request_info');
    const toolArgs = logged?.toolArgs ?? { caseId: record.caseId, ...(record.docKey ? { docKey: record.docKey } : {}) };
    const o: Outcome = outcome.type === 'approval' ? { kind: 'approved' } : { kind: 'rejected', reason: (outcome as Extract<HitlSignal, { type: 'rejection' }>).reason };
    const executorId = await this.deciderOf(hitl.requestId, o.kind);
    if (o.kind === 'approved') {
      await e.emit('tool_execution', ev.tool(toolName, toolArgs, 'success', true, { result: { executed: true, requestId: hitl.requestId } }));
    } else {
      await e.emit('tool_execution', ev.tool(toolName, toolArgs, 'cancelled', true, { error: o.reason || 'rejected' }));
    }
    const builtinText = () => this.d.reasoning.conclude(input, hitl.actionType, o);
    if (model && !fellBack(entries)) {
      const decision: Decision = { kind: o.kind, decider: executorId, ...(o.kind === 'rejected' && o.reason ? { reason: o.reason } : {}), toolName, toolArgs, actionType: hitl.actionType };
      // An owner that died mid-answer left part of it logged; asked again, the model would start
      // a different answer, so the logged part stays and the built-in words end it.
      const written = e.skipLogged('content');
      if (written === 0) await model.conclude(caseScope(record.tenantId, input), entries, decision, e, builtinText, signal);
      else if (!e.alreadyHas('end')) await e.emit('content', ev.content(`\n\n(The instance writing this answer stopped; Aura's built-in agent ends it.) ${await builtinText()}`, written));
    } else {
      await e.emit('content', ev.content(await builtinText(), 0));
    }
    await this.d.recorder.record({
      ...base,
      executorId,
      actionType: o.kind === 'approved' ? 'APPROVE' : 'REJECT',
      ...(o.kind === 'rejected' && o.reason ? { comment: o.reason } : {}),
    });
    await e.emit('end', ev.end(o.kind === 'approved' ? 'Action approved and executed' : 'Action rejected', o.kind));
    await this.finish(record, e);
  }

  /** The decider as the backend recorded it on the HITL request record (the signal itself does not name them). */
  private async deciderOf(requestId: string, kind: Outcome['kind']): Promise<string> {
    const req = await this.d.hitl.request(requestId).catch(() => null);
    const who = kind === 'approved' ? req?.approvedBy : req?.rejectedBy;
    return who ?? 'unknown';
  }

  /** `[DONE]` first, then the record: a crash in between leaves a run a sweeper sees is done. */
  private async finish(record: AuraAgentRunRecord, e: Emitter): Promise<void> {
    await e.finish();
    record.phase = 'finished';
    await this.d.runs.save(record);
  }
}
