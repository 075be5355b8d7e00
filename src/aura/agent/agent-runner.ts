import type { AuraAgentJobRecord, AuraAgentRunRecord } from '../../../generated/schemas';
import { operations, type StartAgentStreamEvents } from '../../../generated/server/operations';
import { newId } from '../../shared/ids';
import { unixSeconds } from '../../shared/time';
import type { Fence } from '../ports';
import { Aborted, DrivenRuns } from '../runs/driven-runs';
import type { Sweepable } from '../runs/sweeper';
import { LogEmitter } from '../streams/emitter';
import { DONE_ENTRY } from '../streams/stream-log';
import { builtinProposal, handOver } from './builtin-agent';
import { caseIdOf } from './case-id';
import { finishRun } from './conclusion';
import { agentEvents as ev } from './events';
import { gate, resumeWait } from './hitl-gate';
import { caseScope } from './llm/case-scope';
import type { Proposal } from './llm/model-agent';
import type { AgentInput } from './reasoning';
import { agentInputOf, type AgentRunnerDeps, type Emitter } from './run-deps';

export interface StartRequest {
  tenantId: string;
  userId: string;
  prompt: string;
  context: Record<string, unknown>;
}

/**
 * Drives agent runs: every event goes to the stream log (the HTTP responses only tail it), run
 * state lives in Redis, and a lease says which instance drives a run. Runs whose lease lapses
 * (the owner died or shut down) are claimed by any instance's sweeper and continued from what
 * the log and the run record say — the HITL wait included, at its original deadline.
 * The steps: the proposal (a configured model's, else builtin-agent.ts), the HITL gate
 * (hitl-gate.ts) and what follows the decision (conclusion.ts).
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
    const input = agentInputOf(record, req.prompt, req.context);
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
    if (record) await finishRun(this.d, record, emitter);
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
      await handOver(e, 'The instance driving this run stopped before its HITL wait', []);
    } else {
      await e.emit('start', ev.start(`Aura started on case ${record.caseId}`, record.streamId));
      if (model) {
        const r = await model.propose(caseScope(record.tenantId, input), e, check, signal);
        if (r.kind === 'proposal') proposal = r.proposal;
        else await handOver(e, `The model (${model.model}) ${r.reason}`, r.openSteps);
      }
    }
    proposal ??= await builtinProposal(this.d.reasoning, record, input, e, check);
    check();
    await gate(this.d, record, e, proposal, signal);
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
    if (record.phase === 'hitl_wait' && record.hitl) {
      const at = names.indexOf('hitl');
      return resumeWait(this.d, record, this.emitter(streamId, fence, at < 0 ? [] : names.slice(at + 1)), at >= 0, signal);
    }
    // Died before the HITL wait: drive it again from the stored request; the events the log
    // has are skipped. A run started before requests were stored (or whose request expired)
    // cannot be re-driven: end it honestly.
    const job = await this.d.runs.job(streamId);
    if (job) return this.drive(record, agentInputOf(record, job.prompt, job.context), signal, fence, names);
    const at = names.indexOf('failed');
    const e = this.emitter(streamId, fence, at < 0 ? [] : names.slice(at));
    await e.emit('failed', ev.failed('The run was interrupted', 'the instance driving this run stopped', 'RunInterrupted'));
    await e.emit('error', ev.error('the instance driving this run stopped', 'RunInterrupted'));
    await e.emit('end', ev.end('Run interrupted', 'failed'));
    await finishRun(this.d, record, e);
  }
}
