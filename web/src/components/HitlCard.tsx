// The decision Aura waits for: what is proposed, on which case and document, and why; Approve,
// or Reject with a reason. The answer comes back on the same open stream, so after a decision
// the card only says what was decided and the run goes on below it.
import { useMutation, useQuery } from '@tanstack/react-query';
import { useEffect, useRef, useState, type FormEvent } from 'react';
import type * as S from '../../../generated/sdk';
import { DwpApiError } from '../../../generated/sdk';
import { core, sdk } from '../api';
import { useMe, useNow } from '../hooks';
import { useI18n, type Translate } from '../i18n';
import { queryKeys } from '../queries';
import { useSession } from '../session';
import type { Outcome } from '../streams/agent-view';
import { ErrorBox } from './ErrorBox';

type Decision = 'approve' | 'reject';

/** A 409's envelope carries the stored request: who decided first, and what. */
function decidedFirst(err: unknown): S.HitlRequestRecord | undefined {
  if (!(err instanceof DwpApiError) || err.status !== 409) return undefined;
  const d = err.data as Partial<S.HitlRequestRecord> | undefined;
  return d && typeof d.status === 'string' ? (d as S.HitlRequestRecord) : undefined;
}

function conflictText(t: Translate, dateTime: (v: number | undefined) => string, r: S.HitlRequestRecord): string {
  const approved = r.status === 'approved';
  const what = r.status === 'expired' ? 'HOLD' : t(approved ? 'hitl.approved' : 'hitl.rejected');
  const who = (approved ? r.approvedBy : r.rejectedBy) ?? '—';
  const when = dateTime(approved ? r.approvedAt : (r.rejectedAt ?? r.expiredAt));
  return t('hitl.decidedBy', { who, what, when }) + (r.reason ? ` (${r.reason})` : '');
}

export function HitlCard({ hitl, outcome, summary }: { hitl: S.HitlEvent; outcome: Outcome | undefined; summary: S.CaseSummary }) {
  const { t, dateTime } = useI18n();
  const [rejecting, setRejecting] = useState(false);
  const [reason, setReason] = useState('');
  const [reasonMissing, setReasonMissing] = useState(false);
  const reasonRef = useRef<HTMLTextAreaElement>(null);
  const pending = outcome === undefined;
  const now = useNow(pending);
  const secondsLeft = Math.max(0, Math.ceil(hitl.expiresAt - now / 1000));

  const decide = useMutation({
    mutationFn: async (d: Decision) =>
      d === 'approve'
        ? (await sdk.approveHitl(core, { params: { requestId: hitl.requestId }, body: {} })).data
        : (await sdk.rejectHitl(core, { params: { requestId: hitl.requestId }, body: { reason: reason.trim() } })).data,
  });

  useEffect(() => {
    if (rejecting) reasonRef.current?.focus();
  }, [rejecting]);

  function reject(e: FormEvent) {
    e.preventDefault();
    if (!reason.trim()) {
      setReasonMissing(true);
      reasonRef.current?.focus();
      return;
    }
    decide.mutate('reject');
  }

  // Who may decide is the backend's rule (x-roles, four-eyes); the card only avoids offering a
  // button that would be refused, and says why.
  const session = useSession();
  const me = useMe();
  const request = useQuery({
    queryKey: queryKeys.hitlRequest(hitl.requestId),
    queryFn: async ({ signal }) => (await sdk.getHitlRequest(core, { params: { requestId: hitl.requestId }, signal })).data,
    enabled: pending,
    staleTime: Infinity,
  });
  const notAllowed = me.data && !me.data.canDecide;
  const ownRun = me.data?.fourEyes !== false && request.data !== undefined && request.data.userId === session?.userId;
  // Until both are known no button is offered: one shown for a moment and then taken away could
  // be clicked and refused. (A failed look-up counts as known: the backend still decides.)
  const known = !me.isPending && !request.isPending;

  const caseId = (hitl.context.caseId as string | undefined) ?? summary.caseId;
  const docKey = (hitl.context.docKey as string | undefined) ?? summary.docKey;
  const conflict = decidedFirst(decide.error);
  const canDecide = pending && known && !decide.isSuccess && !conflict && !notAllowed && !ownRun;

  return (
    <section className={`card hitl hitl-${outcome ?? 'pending'}`} aria-labelledby="hitl-title" data-testid="hitl-card" data-request-id={hitl.requestId} data-outcome={outcome ?? 'pending'}>
      <h3 id="hitl-title">{t('hitl.title')}</h3>
      <dl className="kv">
        <div className="kv-row">
          <dt>{t('hitl.proposes')}</dt>
          <dd>
            <strong data-testid="hitl-action">{hitl.actionType}</strong>
          </dd>
        </div>
        <div className="kv-row">
          <dt>{t('hitl.forCase')}</dt>
          <dd>{caseId}</dd>
        </div>
        <div className="kv-row">
          <dt>{t('hitl.forDoc')}</dt>
          <dd>
            <code>{docKey}</code>
          </dd>
        </div>
        <div className="kv-row">
          <dt>{t('hitl.why')}</dt>
          <dd data-testid="hitl-message">{hitl.message}</dd>
        </div>
        {pending && (
          <div className="kv-row">
            <dt>{t('hitl.expires')}</dt>
            <dd>
              <span role="timer" aria-live="off" data-testid="hitl-countdown">
                {t('hitl.seconds', { n: secondsLeft })}
              </span>
            </dd>
          </div>
        )}
      </dl>

      {outcome === 'timeout' && (
        <p className="notice warn" role="status" data-testid="hitl-timeout">
          {t('hitl.timeout')}
        </p>
      )}
      {(outcome === 'approved' || outcome === 'rejected') && (
        <p className="notice" role="status" data-testid="hitl-outcome">
          {t(outcome === 'approved' ? 'hitl.approved' : 'hitl.rejected')}
        </p>
      )}
      {decide.isSuccess && (
        <p className="notice ok" role="status" data-testid="hitl-decided">
          {t('hitl.youDecided', { what: t(decide.data.status === 'approved' ? 'hitl.approved' : 'hitl.rejected') })}
        </p>
      )}
      {conflict && (
        <p className="notice warn" role="alert" data-testid="hitl-conflict">
          {conflictText(t, (v) => dateTime(v), conflict)}
        </p>
      )}
      {decide.isError && !conflict && <ErrorBox error={decide.error} testId="hitl-error" />}
      {/* The user who started the run is told so first, whatever their role: the run link is the way on. */}
      {pending && notAllowed && !ownRun && (
        <p className="notice" role="note" data-testid="hitl-readonly" data-reason="role">
          {t('hitl.roleOnly', { role: me.data?.role ?? '—' })}
        </p>
      )}
      {pending && ownRun && (
        <p className="notice" role="note" data-testid="hitl-readonly" data-reason="four-eyes">
          {t('hitl.fourEyes')}
        </p>
      )}

      {canDecide && !rejecting && (
        <div className="actions">
          <button type="button" className="primary" onClick={() => decide.mutate('approve')} disabled={decide.isPending} data-testid="hitl-approve">
            {decide.isPending ? t('hitl.sending') : t('hitl.approve')}
          </button>
          <button type="button" className="danger" onClick={() => setRejecting(true)} disabled={decide.isPending} data-testid="hitl-reject">
            {t('hitl.reject')}
          </button>
        </div>
      )}
      {canDecide && rejecting && (
        <form onSubmit={reject} className="reject-form" noValidate>
          <label htmlFor={`reason-${hitl.requestId}`}>{t('hitl.reason')}</label>
          <textarea
            id={`reason-${hitl.requestId}`}
            ref={reasonRef}
            value={reason}
            maxLength={1000}
            rows={2}
            aria-invalid={reasonMissing}
            aria-describedby={reasonMissing ? `reason-err-${hitl.requestId}` : undefined}
            onChange={(e) => {
              setReason(e.target.value);
              setReasonMissing(false);
            }}
            data-testid="hitl-reason"
          />
          {reasonMissing && (
            <p id={`reason-err-${hitl.requestId}`} className="bad small" role="alert">
              {t('hitl.reasonRequired')}
            </p>
          )}
          <div className="actions">
            <button type="submit" className="danger" disabled={decide.isPending} data-testid="hitl-confirm-reject">
              {decide.isPending ? t('hitl.sending') : t('hitl.confirmReject')}
            </button>
            <button type="button" onClick={() => setRejecting(false)} disabled={decide.isPending}>
              {t('hitl.cancel')}
            </button>
          </div>
        </form>
      )}
    </section>
  );
}
