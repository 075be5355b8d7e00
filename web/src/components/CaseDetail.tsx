import { useQuery } from '@tanstack/react-query';
import type * as S from '../../../generated/sdk';
import { core, sdk } from '../api';
import { useI18n } from '../i18n';
import { queryKeys } from '../queries';
import { href } from '../router';
import { AgentPanel } from './AgentPanel';
import { AnalysisPanel } from './AnalysisPanel';
import { Badge } from './Badge';
import { ErrorBoundary, ErrorBox } from './ErrorBox';
import { Evidence } from './Evidence';

export function CaseDetail({ caseId, joinStreamId }: { caseId: string; joinStreamId?: string }) {
  const { t, dateTime, amount } = useI18n();
  const detail = useQuery({
    queryKey: queryKeys.case(caseId),
    queryFn: async ({ signal }) => (await sdk.getCase(core, { params: { caseId }, signal })).data,
  });

  if (detail.isPending) return <p role="status">{t('case.loading')}</p>;
  if (detail.isError)
    return (
      <>
        <a href={href({ name: 'cases' })}>{t('case.back')}</a>
        <ErrorBox error={detail.error} onRetry={() => void detail.refetch()} />
      </>
    );
  const { case: c, document: doc, actions, evidence } = detail.data;

  return (
    <article className="case-detail" data-testid="case-detail" data-case-id={c.caseId} aria-labelledby="case-title">
      <a href={href({ name: 'cases' })} className="back">
        {t('case.back')}
      </a>
      <div className="section-head">
        <h1 id="case-title">
          {c.caseId} <span className="muted">· {c.title}</span>
        </h1>
        <span data-testid="case-status" data-value={c.status}>
          <Badge kind="status" value={c.status} />
        </span>
      </div>
      <div className="detail-grid">
        <div className="detail-main">
          <section className="card" aria-labelledby="doc-title">
            <h2 id="doc-title">{t('case.document')}</h2>
            <dl className="kv doc-header" data-testid="document-header">
              <div className="kv-row"><dt>docKey</dt><dd><code>{c.docKey}</code></dd></div>
              <div className="kv-row"><dt>{t('case.bukrs')} (BUKRS)</dt><dd>{c.bukrs ?? '—'}</dd></div>
              <div className="kv-row"><dt>{t('case.belnr')} (BELNR)</dt><dd>{c.belnr ?? '—'}</dd></div>
              <div className="kv-row"><dt>{t('case.gjahr')} (GJAHR)</dt><dd>{c.gjahr ?? '—'}</dd></div>
              {c.buzei && <div className="kv-row"><dt>{t('case.buzei')} (BUZEI)</dt><dd>{c.buzei}</dd></div>}
              <div className="kv-row"><dt>{t('case.docStatus')}</dt><dd data-testid="document-status" data-value={doc?.statusCode ?? ''}><Badge kind="status" value={doc?.statusCode} /></dd></div>
              <div className="kv-row"><dt>{t('col.severity')}</dt><dd><Badge kind="severity" value={c.severity ?? undefined} /></dd></div>
              <div className="kv-row"><dt>{t('col.vendor')}</dt><dd>{c.vendorId ?? '—'}</dd></div>
              <div className="kv-row"><dt>{t('col.amount')}</dt><dd>{amount(c.amount, c.currency)}</dd></div>
              <div className="kv-row"><dt>{t('case.lastChange')}</dt><dd>{dateTime(doc?.lastChangeTs ?? c.updatedAt)}</dd></div>
            </dl>
          </section>
          <ActionHistory actions={actions} />
          <section className="card" aria-labelledby="evidence-title">
            <h2 id="evidence-title">{t('case.evidence')}</h2>
            <Evidence evidence={evidence} />
          </section>
        </div>
        <div className="detail-side">
          <ErrorBoundary fallback={(e, reset) => <ErrorBox error={e} onRetry={reset} />}>
            <AgentPanel summary={c} joinStreamId={joinStreamId} />
          </ErrorBoundary>
          <ErrorBoundary fallback={(e, reset) => <ErrorBox error={e} onRetry={reset} />}>
            <AnalysisPanel caseId={c.caseId} />
          </ErrorBoundary>
        </div>
      </div>
    </article>
  );
}

function ActionHistory({ actions }: { actions: S.CaseAction[] }) {
  const { t, dateTime } = useI18n();
  return (
    <section className="card" aria-labelledby="actions-title">
      <h2 id="actions-title">{t('case.actions')}</h2>
      {actions.length === 0 ? (
        <p className="muted" data-testid="no-actions">{t('case.noActions')}</p>
      ) : (
        <div className="table-wrap">
          <table data-testid="action-history">
            <thead>
              <tr>
                <th scope="col">{t('act.who')}</th>
                <th scope="col">{t('act.what')}</th>
                <th scope="col">{t('act.when')}</th>
                <th scope="col">{t('act.reason')}</th>
              </tr>
            </thead>
            <tbody>
              {actions.map((a) => (
                <tr key={`${a.requestId}-${a.actionType}`} data-testid="action-row" data-request-id={a.requestId} data-status={a.statusCode}>
                  <td data-label={t('act.who')}>{a.executorId}</td>
                  <td data-label={t('act.what')}>
                    {a.actionType} <Badge kind="status" value={a.statusCode} />
                  </td>
                  <td data-label={t('act.when')}>{dateTime(a.createdAt)}</td>
                  <td data-label={t('act.reason')}>{a.reason ?? '—'}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}
