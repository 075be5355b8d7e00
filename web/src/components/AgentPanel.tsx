// "Ask Aura" on a case: the agent's stream as it arrives (thoughts, plan, tools, answer), the
// HITL card when it stops for a decision, and the connection state. The stream is the SDK's;
// a drop is resumed by the SDK with Last-Event-ID, a reload by rejoining the stored stream id.
import { useQueryClient } from '@tanstack/react-query';
import { memo, useEffect, useMemo, useState, type FormEvent } from 'react';
import type * as S from '../../../generated/sdk';
import { sdk, streamOpener } from '../api';
import { useI18n } from '../i18n';
import { type AgentFrame, agentView } from '../streams/agent-view';
import { streamFor } from '../streams/registry';
import { type Opener, useStreamSession } from '../streams/stream-session';
import { href } from '../router';
import { Badge } from './Badge';
import { ConnectionState } from './ConnectionState';
import { ErrorBox } from './ErrorBox';
import { HitlCard } from './HitlCard';
import { JsonView } from './JsonView';
import { Markdown } from './Markdown';

function joinOpener(streamId: string): Opener<AgentFrame> {
  return streamOpener(sdk.joinStream, { params: { streamId } });
}

/** What Aura is told about the case: it owns no database, so the workbench hands it the facts. */
function caseContext(c: S.CaseSummary): S.JsonObject {
  const ctx: Record<string, unknown> = {
    caseId: c.caseId,
    docKey: c.docKey,
    title: c.title,
    bukrs: c.bukrs,
    belnr: c.belnr,
    gjahr: c.gjahr,
    buzei: c.buzei,
    vendorId: c.vendorId,
    amount: c.amount,
    currency: c.currency,
    severity: c.severity,
  };
  for (const k of Object.keys(ctx)) if (ctx[k] === undefined || ctx[k] === null) delete ctx[k];
  return ctx as S.JsonObject;
}

export function AgentPanel({ summary, joinStreamId }: { summary: S.CaseSummary; joinStreamId?: string }) {
  const { t } = useI18n();
  const qc = useQueryClient();
  const caseId = summary.caseId;
  const stream = useMemo(() => streamFor<AgentFrame>('agent', caseId, qc), [caseId, qc]);
  const snap = useStreamSession(stream);
  const view = useMemo(() => agentView(snap.frames), [snap.frames]);
  const [prompt, setPrompt] = useState(() => snap.meta.prompt ?? t('aura.defaultPrompt', { caseId }));

  const followed = view.streamId ?? snap.meta.streamId;
  const rejoin = useMemo(() => (followed ? joinOpener(followed) : null), [followed]);

  // A shared link names a run: follow it from its start (the whole reasoning is replayed).
  useEffect(() => {
    if (joinStreamId && joinStreamId !== followed) stream.start(joinOpener(joinStreamId), { streamId: joinStreamId });
  }, [stream, joinStreamId, followed]);

  // After a reload: the stored run did not reach [DONE], so follow on from its last event.
  useEffect(() => {
    if (stream.unfinished && !stream.running && rejoin && snap.state === 'idle') stream.resume(rejoin);
  }, [stream, rejoin, snap.state]);

  function ask(e: FormEvent) {
    e.preventDefault();
    const body: S.AgentStreamRequest = { prompt, context: caseContext(summary) };
    stream.start(streamOpener(sdk.startAgentStream, { body }), { prompt });
  }

  const busy = stream.running && !snap.done;
  const timeline = useMemo(() => snap.frames.filter((f) => f.event !== 'content'), [snap.frames]);
  const groups = useMemo(() => {
    const out: AgentFrame[][] = [];
    for (let i = 0; i < timeline.length; i += TIMELINE_GROUP) out.push(timeline.slice(i, i + TIMELINE_GROUP));
    return out;
  }, [timeline]);

  return (
    <section className="card agent" aria-labelledby="aura-title" data-testid="agent-panel">
      <div className="section-head">
        <h2 id="aura-title">{t('aura.title')}</h2>
        <ConnectionState state={snap.state} testId="agent-connection" />
      </div>
      <form onSubmit={ask} className="ask">
        <label htmlFor="aura-prompt">{t('aura.prompt')}</label>
        <textarea id="aura-prompt" value={prompt} onChange={(e) => setPrompt(e.target.value)} rows={2} maxLength={4000} required data-testid="agent-prompt" />
        <button type="submit" className="primary" disabled={busy} data-testid="agent-ask">
          {snap.frames.length ? t('aura.again') : t('aura.ask')}
        </button>
      </form>
      {snap.error !== undefined && <ErrorBox error={snap.error} onRetry={rejoin && !snap.done ? () => stream.resume(rejoin) : undefined} testId="agent-error" />}

      {view.plan.length > 0 && (
        <div className="plan" aria-labelledby="plan-title">
          <h3 id="plan-title">{t('aura.plan')}</h3>
          <ol data-testid="plan">
            {view.plan.map((s) => (
              <li key={s.stepId} data-testid="plan-step" data-step-id={s.stepId} data-status={s.status}>
                <Badge kind="step" value={s.status} /> {s.description}
                <progress max={100} value={s.progress} aria-label={`${s.description}: ${s.progress}%`} />
              </li>
            ))}
          </ol>
        </div>
      )}

      {view.hitl && <HitlCard hitl={view.hitl} outcome={view.outcome} summary={summary} />}

      {timeline.length > 0 && (
        <div className="timeline-wrap">
          <h3>{t('aura.timeline')}</h3>
          <ol className="timeline" data-testid="timeline" aria-live="polite" aria-relevant="additions">
            {groups.map((g, n) => (
              <TimelineGroup key={n} frames={g} from={n * TIMELINE_GROUP} />
            ))}
          </ol>
        </div>
      )}

      {view.content && (
        <div className="answer">
          <h3>{t('aura.answer')}</h3>
          <Markdown text={view.content} testId="agent-answer" />
        </div>
      )}
      {followed && (
        <p className="muted small">
          <a href={href({ name: 'case', caseId, stream: followed })} data-testid="run-link" data-stream-id={followed}>
            {t('aura.link')}
          </a>
        </p>
      )}
      {view.end && (
        <p className="ended" data-testid="agent-end" data-status={view.end.status ?? ''}>
          {t('aura.ended')}: {view.end.message}
        </p>
      )}
    </section>
  );
}

// The rows in groups: a render after new events then compares one group's props per hundred rows
// rather than every row's, so it no longer costs more with each row a long run has shown. A
// stream only appends, so a group with the same first frame and length holds the same frames.
const TIMELINE_GROUP = 100;

const TimelineGroup = memo(
  function TimelineGroup({ frames, from }: { frames: readonly AgentFrame[]; from: number }) {
    return frames.map((f, i) => <TimelineItem key={f.id ?? `i${from + i}`} frame={f} />);
  },
  (a, b) => a.from === b.from && a.frames.length === b.frames.length && a.frames[0] === b.frames[0],
);

const TimelineItem = memo(function TimelineItem({ frame }: { frame: AgentFrame }) {
  const { t } = useI18n();
  const common = { 'data-event-id': frame.id, 'data-event-type': frame.event, className: `tl tl-${frame.event}` };
  switch (frame.event) {
    case 'start':
    case 'end':
      return <li {...common}>{frame.data.message}</li>;
    case 'thought':
      return (
        <li {...common}>
          <span className="tag">{frame.data.thoughtType}</span> {frame.data.content}
          {frame.data.sources.length > 0 && <div className="muted small">{frame.data.sources.join(' · ')}</div>}
        </li>
      );
    case 'plan_step':
      return (
        <li {...common}>
          <span className="tag">{t('aura.plan')}</span> {frame.data.description} <Badge kind="step" value={frame.data.status} />
        </li>
      );
    case 'plan_step_update':
      return (
        <li {...common}>
          <span className="tag">{frame.data.stepId}</span> <Badge kind="step" value={frame.data.status} /> {frame.data.progress}%
        </li>
      );
    case 'tool_execution':
      return (
        <li {...common} data-tool={frame.data.toolName} data-status={frame.data.status}>
          <span className="tag">{frame.data.toolName}</span> <Badge kind="tool" value={frame.data.status} />
          {frame.data.requiresApproval && <span className="muted small"> · {t('run.requiresApproval')}</span>}
          <details>
            <summary>{t('aura.input')}</summary>
            <JsonView value={frame.data.toolArgs} />
          </details>
          {(frame.data.result !== undefined || frame.data.error) && (
            <details open>
              <summary>{t('aura.output')}</summary>
              {frame.data.error ? <p className="bad">{frame.data.error}</p> : <JsonView value={frame.data.result} />}
            </details>
          )}
        </li>
      );
    case 'hitl':
      return (
        <li {...common}>
          <span className="tag">{t('hitl.title')}</span> {frame.data.actionType}: {frame.data.message}
        </li>
      );
    case 'failed':
      return (
        <li {...common}>
          <span className="tag bad">{frame.data.errorType}</span> {frame.data.message}: {frame.data.error}
        </li>
      );
    case 'error':
      return (
        <li {...common}>
          <span className="tag bad">{frame.data.errorType}</span> {frame.data.message ?? frame.data.error}
        </li>
      );
    default:
      return <li {...common} />;
  }
});
