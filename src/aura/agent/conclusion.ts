import type { AuraAgentRunRecord, HitlSignal } from '../../../generated/schemas';
import { toolOf } from './builtin-agent';
import { agentEvents as ev } from './events';
import { caseScope } from './llm/case-scope';
import type { Decision } from './llm/prompt';
import { fellBack, proposedAction } from './llm/transcript';
import type { Outcome } from './reasoning';
import { agentInputOf, type AgentRunnerDeps, caseArgsOf, type Emitter } from './run-deps';

/** `[DONE]` first, then the record: a crash in between leaves a run a sweeper sees is done. */
export async function finishRun(d: Pick<AgentRunnerDeps, 'runs'>, record: AuraAgentRunRecord, e: Emitter): Promise<void> {
  await e.finish();
  record.phase = 'finished';
  await d.runs.save(record);
}

/** The decider as the backend recorded it on the HITL request record (the signal itself does not name them). */
async function deciderOf(d: AgentRunnerDeps, requestId: string, kind: Outcome['kind']): Promise<string> {
  const req = await d.hitl.request(requestId).catch(() => null);
  const who = kind === 'approved' ? req?.approvedBy : req?.rejectedBy;
  return who ?? 'unknown';
}

/**
 * The rest of the run once the decision (or its absence, `null`) is known. Whoever proposed the
 * action (model or built-in agent), it only ever runs here, on an approval signal from Redis.
 */
export async function conclude(d: AgentRunnerDeps, record: AuraAgentRunRecord, e: Emitter, outcome: HitlSignal | null, signal: AbortSignal): Promise<void> {
  const hitl = record.hitl!;
  const base = { tenantId: record.tenantId, caseId: record.caseId, requestId: hitl.requestId, ...(record.docKey ? { docKey: record.docKey } : {}) };

  if (outcome === null) {
    const msg = `No decision within the HITL timeout; case ${record.caseId} is on hold`;
    await e.emit('failed', ev.failed(msg, 'HITL decision timed out', 'TimeoutError'));
    await e.emit('error', ev.error('HITL decision timed out', 'TimeoutError', msg));
    // Once-only per request (marker + publish in one script), so a takeover cannot publish it twice.
    await d.decisions.record({ ...base, executorId: 'system', actionType: 'TIMEOUT' });
    await e.emit('end', ev.end('Run ended without a decision', 'failed'));
    await finishRun(d, record, e);
    return;
  }
  // The request the run was started with, from the stored job: the owner and an instance that
  // took the run over conclude with the same prompt and context.
  const job = await d.runs.job(record.streamId);
  const input = agentInputOf(record, job?.prompt ?? '', job?.context ?? {});
  const model = d.model;
  const entries = model ? await d.log.range(record.streamId, 0) : [];
  const logged = proposedAction(entries);
  const toolName = logged?.toolName ?? toolOf(hitl.actionType);
  const toolArgs = logged?.toolArgs ?? caseArgsOf(record);
  const o: Outcome = outcome.type === 'approval' ? { kind: 'approved' } : { kind: 'rejected', reason: (outcome as Extract<HitlSignal, { type: 'rejection' }>).reason };
  const executorId = await deciderOf(d, hitl.requestId, o.kind);
  if (o.kind === 'approved') {
    await e.emit('tool_execution', ev.tool(toolName, toolArgs, 'success', true, { result: { executed: true, requestId: hitl.requestId } }));
  } else {
    await e.emit('tool_execution', ev.tool(toolName, toolArgs, 'cancelled', true, { error: o.reason || 'rejected' }));
  }
  const builtinText = () => d.reasoning.conclude(input, hitl.actionType, o);
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
  await d.decisions.record({
    ...base,
    executorId,
    actionType: o.kind === 'approved' ? 'APPROVE' : 'REJECT',
    ...(o.kind === 'rejected' && o.reason ? { comment: o.reason } : {}),
  });
  await e.emit('end', ev.end(o.kind === 'approved' ? 'Action approved and executed' : 'Action rejected', o.kind));
  await finishRun(d, record, e);
}
