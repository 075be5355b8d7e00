// The HITL gate of an agent run: the request, the wait for a decision (or its deadline), and the
// same wait picked up by an instance that took the run over.
import type { AuraAgentRunRecord, HitlSignal } from '../../../generated/schemas';
import { unixSeconds } from '../../shared/time';
import type { Waiter } from '../hitl/signal-waiter';
import { Aborted } from '../runs/driven-runs';
import { conclude } from './conclusion';
import { agentEvents as ev } from './events';
import type { Proposal } from './llm/model-agent';
import { type AgentRunnerDeps, caseArgsOf, type Emitter } from './run-deps';

/** `req-…` / `sess-…` from the run's stream id (`stream-<uuid>`). */
function hitlIdOf(prefix: 'req' | 'sess', streamId: string): string {
  return `${prefix}-${streamId.replace(/^stream-/, '')}`;
}

/** Emits the `hitl` event and reads the stored signal with the subscription open; cancels the wait if either fails. */
async function announce(waiter: Waiter, emit: () => Promise<unknown>): Promise<void> {
  try {
    await emit();
    await waiter.checkStored();
  } catch (err) {
    waiter.cancel();
    throw err;
  }
}

/**
 * The HITL gate. Whoever proposed the action (model or built-in agent), it only ever runs in
 * `conclude`, on an approval signal from Redis: nothing a model says or reads reaches here.
 */
export async function gate(d: AgentRunnerDeps, record: AuraAgentRunRecord, e: Emitter, proposal: Proposal, signal: AbortSignal): Promise<void> {
  const { actionType, toolName, message: decisionText } = proposal;
  // HITL (asyncapi.yaml, the hitl:request/hitl:session keys and hitl:channel): a session unique to this stream; records first, subscribe, then
  // emit `hitl`, then read the stored signal so a decision made in between is not lost.
  // Named after the stream (one HITL request per run): an owner that dies between creating
  // the request and recording the wait leaves a request its re-drive writes again, not an orphan.
  const requestId = hitlIdOf('req', record.streamId);
  const sessionId = hitlIdOf('sess', record.streamId);
  const deadlineMs = Date.now() + d.hitlTimeoutSeconds * 1000;
  const expiresAt = Math.ceil(deadlineMs / 1000);
  const context = { ...caseArgsOf(record), toolName, streamId: record.streamId };
  // The request in force: this one, or the one a dead owner of this run already wrote.
  const request = await d.hitl.create({
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
  await d.runs.save(record);
  const waiter = await d.waiter.wait(sessionId, requestId);
  await announce(waiter, () =>
    e.emit('hitl', ev.hitl({ requestId, sessionId, actionType, message: request.message ?? decisionText, context: request.context, expiresAt })),
  );
  await awaitDecision(d, record, e, waiter, deadlineMs, signal);
}

/**
 * Picks up the HITL wait of a run another instance was driving: `hitl` is emitted unless the
 * log has it (`hitlLogged`), the deadline is the one recorded, and a run its owner had already
 * timed out stays timed out.
 */
export async function resumeWait(d: AgentRunnerDeps, record: AuraAgentRunRecord, e: Emitter, hitlLogged: boolean, signal: AbortSignal): Promise<void> {
  const hitl = record.hitl!;
  const waiter = await d.waiter.wait(hitl.sessionId, hitl.requestId);
  await announce(waiter, async () => {
    if (!hitlLogged) await e.emit('hitl', await hitlEventOf(d, record));
  });
  if (e.alreadyHas('failed')) {
    // The owner had already timed the run out: it stays timed out, even if a late decision is stored.
    waiter.cancel();
    return conclude(d, record, e, null, signal);
  }
  return awaitDecision(d, record, e, waiter, hitl.expiresAt * 1000, signal);
}

/** The `hitl` event as the owner would have emitted it, rebuilt from the stored request. */
async function hitlEventOf(d: AgentRunnerDeps, record: AuraAgentRunRecord) {
  const hitl = record.hitl!;
  const req = await d.hitl.request(hitl.requestId);
  return ev.hitl({
    requestId: hitl.requestId,
    sessionId: hitl.sessionId,
    actionType: hitl.actionType,
    message: req?.message ?? `Approval needed: ${hitl.actionType} on case ${record.caseId}`,
    context: req?.context ?? { caseId: record.caseId, streamId: record.streamId },
    expiresAt: hitl.expiresAt,
  });
}

async function awaitDecision(d: AgentRunnerDeps, record: AuraAgentRunRecord, e: Emitter, waiter: Waiter, deadlineMs: number, signal: AbortSignal): Promise<void> {
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
  await conclude(d, record, e, outcome ?? (await expireOrDecided(d, record)), signal);
}

/**
 * The deadline passed: expire the request atomically, so a decision arriving later is refused
 * (409) instead of approving a case that is already on hold. If the backend's decision won the
 * race, its signal may not have reached us yet: conclude with it rather than with a timeout.
 */
async function expireOrDecided(d: AgentRunnerDeps, record: AuraAgentRunRecord): Promise<HitlSignal | null> {
  const hitl = record.hitl!;
  const r = await d.hitl.expire(hitl.requestId, unixSeconds());
  if (r.expired || !r.record) return null;
  const stored = await d.hitl.signal(hitl.sessionId);
  if (stored && stored.requestId === hitl.requestId) return stored;
  const rec = r.record;
  if (rec.status === 'approved') return { type: 'approval', requestId: rec.requestId, status: 'approved', timestamp: rec.approvedAt ?? unixSeconds() };
  if (rec.status === 'rejected') return { type: 'rejection', requestId: rec.requestId, status: 'rejected', reason: rec.reason ?? '', timestamp: rec.rejectedAt ?? unixSeconds() };
  return null;
}
