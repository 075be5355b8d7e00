import { useQuery } from '@tanstack/react-query';
import type * as S from '../../../generated/sdk';
import { core, sdk } from '../api';
import { useI18n } from '../i18n';
import { queryKeys } from '../queries';
import { href, navigate } from '../router';
import { Badge } from './Badge';
import { ErrorBox } from './ErrorBox';

// Every CaseStatus of the contract, in workflow order; the check below fails to compile when the
// spec adds one that is not listed here.
export const CASE_STATUSES = ['OPEN', 'IN_REVIEW', 'APPROVED', 'REJECTED', 'HOLD', 'CLOSED'] as const satisfies readonly S.CaseStatus[];
type Unlisted = Exclude<S.CaseStatus, (typeof CASE_STATUSES)[number]>;
const allListed: [Unlisted] extends [never] ? true : never = true;
void allListed;

export function CaseList({ status }: { status?: string }) {
  const { t, dateTime, amount } = useI18n();
  const filter = (CASE_STATUSES as readonly string[]).includes(status ?? '') ? (status as S.CaseStatus) : undefined;
  const cases = useQuery({
    queryKey: queryKeys.cases(filter),
    queryFn: async ({ signal }) => (await sdk.listCases(core, { query: { ...(filter ? { status: filter } : {}), limit: 200 }, signal })).data.items,
  });

  return (
    <section aria-labelledby="cases-title" className="cases">
      <div className="section-head">
        <h1 id="cases-title">{t('cases.title')}</h1>
        <label className="inline">
          {t('cases.filter')}
          <select value={filter ?? ''} onChange={(e) => navigate({ name: 'cases', status: e.target.value || undefined })} data-testid="status-filter">
            <option value="">{t('cases.all')}</option>
            {CASE_STATUSES.map((s) => (
              <option key={s} value={s}>
                {s}
              </option>
            ))}
          </select>
        </label>
      </div>
      {cases.isPending && <p role="status">{t('cases.loading')}</p>}
      {cases.isError && <ErrorBox error={cases.error} onRetry={() => void cases.refetch()} />}
      {cases.data && cases.data.length === 0 && <p data-testid="cases-empty">{t('cases.empty')}</p>}
      {cases.data && cases.data.length > 0 && (
        <div className="table-wrap">
          <table className="case-table" data-testid="case-table">
            <thead>
              <tr>
                <th scope="col">{t('col.case')}</th>
                <th scope="col">{t('col.status')}</th>
                <th scope="col">{t('col.severity')}</th>
                <th scope="col">{t('col.docKey')}</th>
                <th scope="col">{t('col.vendor')}</th>
                <th scope="col" className="num">{t('col.amount')}</th>
                <th scope="col">{t('col.updated')}</th>
              </tr>
            </thead>
            <tbody>
              {cases.data.map((c) => (
                <tr key={c.caseId} data-testid="case-row" data-case-id={c.caseId} data-status={c.status}>
                  <td data-label={t('col.case')}>
                    <a href={href({ name: 'case', caseId: c.caseId })}>{c.caseId}</a>
                    <div className="muted small">{c.title}</div>
                  </td>
                  <td data-label={t('col.status')}>
                    <Badge kind="status" value={c.status} />
                  </td>
                  <td data-label={t('col.severity')}>
                    <Badge kind="severity" value={c.severity ?? undefined} />
                  </td>
                  <td data-label={t('col.docKey')}>
                    <code>{c.docKey}</code>
                  </td>
                  <td data-label={t('col.vendor')}>{c.vendorId ?? '—'}</td>
                  <td data-label={t('col.amount')} className="num">
                    {amount(c.amount, c.currency)}
                  </td>
                  <td data-label={t('col.updated')}>{dateTime(c.updatedAt)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}
