// An analysis run on the case: the backend builds the evidence (document, lines, rules,
// body_evidence) and starts the run; the workbench follows the run's stream through the gateway.
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useEffect, useMemo } from 'react';
import type * as S from '../../../generated/sdk';
import { core, sdk, streamOpener } from '../api';
import { useI18n } from '../i18n';
import { streamFor } from '../streams/registry';
import { type Opener, useStreamSession } from '../streams/stream-session';
import { Badge } from './Badge';
import { ConnectionState } from './ConnectionState';
import { ErrorBox } from './ErrorBox';
import { JsonView } from './JsonView';

type RunFrame =
  | { id: string | undefined; event: 'started'; data: S.RunStartedEvent }
  | { id: string | undefined; event: 'step'; data: S.RunStepEvent }
  | { id: string | undefined; event: 'evidence'; data: S.RunEvidenceEvent }
  | { id: string | undefined; event: 'confidence'; data: S.RunConfidenceEvent }
  | { id: string | undefined; event: 'proposal'; data: S.RunProposalEvent }
  | { id: string | undefined; event: 'completed'; data: S.RunCompletedEvent }
  | { id: string | undefined; event: 'failed'; data: S.RunFailedEvent }
  | { id: string | undefined; event: 'error'; data: S.ErrorEvent };

function follow(runId: string): Opener<RunFrame> {
  return streamOpener(sdk.streamAnalysisRun, { params: { runId } });
}

type Of<E extends RunFrame['event']> = Extract<RunFrame, { event: E }>;

/** The run's frames by kind, in one pass: the last confidence, the first result or failure. */
function runView(frames: readonly RunFrame[]) {
  const v: {
    steps: Of<'step'>[];
    evidence: Of<'evidence'>[];
    proposals: Of<'proposal'>[];
    inBand: Of<'error'>[];
    confidence?: Of<'confidence'>;
    completed?: Of<'completed'>;
    failed?: Of<'failed'>;
  } = { steps: [], evidence: [], proposals: [], inBand: [] };
  for (const f of frames) {
    if (f.event === 'step') v.steps.push(f);
    else if (f.event === 'evidence') v.evidence.push(f);
    else if (f.event === 'proposal') v.proposals.push(f);
    else if (f.event === 'error') v.inBand.push(f);
    else if (f.event === 'confidence') v.confidence = f;
    else if (f.event === 'completed') v.completed ??= f;
    else if (f.event === 'failed') v.failed ??= f;
  }
  return v;
}

export function AnalysisPanel({ caseId }: { caseId: string }) {
  const { t } = useI18n();
  const qc = useQueryClient();
  const stream = useMemo(() => streamFor<RunFrame>('analysis', caseId, qc), [caseId, qc]);
  const snap = useStreamSession(stream);
  const runId = snap.meta.runId;

  useEffect(() => {
    if (runId && stream.unfinished && !stream.running && snap.state === 'idle') stream.resume(follow(runId));
  }, [stream, runId, snap.state]);

  const start = useMutation({
    mutationFn: async () => (await sdk.startCaseAnalysis(core, { params: { caseId }, body: { mode: 'FULL' } })).data,
    onSuccess: (d) => stream.start(follow(d.runId), { runId: d.runId }),
  });

  const { steps, evidence, confidence, proposals, completed, failed, inBand } = useMemo(() => runView(snap.frames), [snap.frames]);
  const lastStep = steps[steps.length - 1];
  const busy = start.isPending || (stream.running && !snap.done);

  return (
    <section className="card analysis" aria-labelledby="run-title" data-testid="analysis-panel">
      <div className="section-head">
        <h2 id="run-title">{t('run.title')}</h2>
        {runId && <ConnectionState state={snap.state} testId="analysis-connection" />}
      </div>
      <button type="button" className="primary" onClick={() => start.mutate()} disabled={busy} data-testid="analysis-start">
        {snap.frames.length ? t('run.again') : t('run.start')}
      </button>
      {start.isError && <ErrorBox error={start.error} />}
      {snap.error !== undefined && <ErrorBox error={snap.error} onRetry={runId ? () => stream.resume(follow(runId)) : undefined} />}
      {inBand.map((f, i) => (
        <ErrorBox key={f.id ?? i} error={f.data} />
      ))}
      {runId && <p className="muted small">runId <code>{runId}</code></p>}
      {lastStep && (
        <div data-testid="analysis-progress">
          <h3>{t('run.steps')}</h3>
          <progress max={100} value={lastStep.data.percent} aria-label={`${lastStep.data.label} ${lastStep.data.percent}%`} />
          <ol className="steps">
            {steps.map((s) => (
              <li key={s.id} data-event-id={s.id}>
                <strong>{s.data.label}</strong> {s.data.detail} <span className="muted">({s.data.percent}%)</span>
              </li>
            ))}
          </ol>
        </div>
      )}
      {evidence.length > 0 && (
        <div data-testid="analysis-evidence">
          <h3>{t('run.evidence')}</h3>
          {evidence.map((e) => (
            <details key={e.id} open data-evidence-type={e.data.type}>
              <summary>
                {e.data.type === 'document_line' ? `${t('run.bodyEvidence')} · ` : ''}
                {e.data.type} ({e.data.items.length})
              </summary>
              {e.data.items.map((item, i) => (
                <JsonView key={i} value={item} />
              ))}
            </details>
          ))}
        </div>
      )}
      {confidence && (
        <div data-testid="analysis-confidence">
          <h3>{t('run.confidence')}</h3>
          <dl className="meters">
            {(['anomalyScore', 'patternMatch', 'ruleCompliance', 'overall'] as const).map((k) => (
              <div key={k} className="kv-row">
                <dt>{t(`run.${k}`)}</dt>
                <dd>
                  <meter min={0} max={1} value={confidence.data[k]} aria-label={t(`run.${k}`)} /> {Math.round(confidence.data[k] * 100)}%
                </dd>
              </div>
            ))}
          </dl>
        </div>
      )}
      {proposals.length > 0 && (
        <div data-testid="analysis-proposals">
          <h3>{t('run.proposals')}</h3>
          <ul>
            {proposals.map((p) => (
              <li key={p.id} data-proposal-type={p.data.type}>
                <strong>{p.data.type}</strong> <Badge kind="severity" value={p.data.riskLevel} />
                {p.data.requiresApproval && <span className="muted small"> · {t('run.requiresApproval')}</span>}
                <p>{p.data.rationale}</p>
                <JsonView value={p.data.payload} />
              </li>
            ))}
          </ul>
        </div>
      )}
      {completed && (
        <div className="notice ok" data-testid="analysis-result" data-severity={completed.data.severity}>
          <strong>{t('run.result')}:</strong> <Badge kind="severity" value={completed.data.severity} /> {Math.round(completed.data.score * 100)}% — {completed.data.summary}
        </div>
      )}
      {failed && (
        <p className="notice warn" role="alert" data-testid="analysis-failed">
          {t('run.failed', { stage: failed.data.error.stage, message: failed.data.error.message })}
        </p>
      )}
    </section>
  );
}
