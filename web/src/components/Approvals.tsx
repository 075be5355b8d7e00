// The approvals inbox: every pending HITL request of the tenant, for users who may decide. The
// list is the backend's `hitl_requests` table; a pushed HITL_REQUEST notification (created,
// decided by anyone, expired) invalidates it (notifications.tsx), so every open inbox follows
// without a reload. Opening an item joins the run's stream from its start: the case page
// replays the reasoning and shows the HITL card, where the decision is made.
import { useQuery } from '@tanstack/react-query';
import { useMemo, useState } from 'react';
import type * as S from '../../../generated/sdk';
import { core, sdk } from '../api';
import { useMe, useNow } from '../hooks';
import { useI18n } from '../i18n';
import { queryKeys } from '../queries';
import { href, navigate } from '../router';
import { ErrorBox } from './ErrorBox';

type Tab = 'pending' | 'expired';
const PAGE = 200;
// A bound on what one render loads; far above what one tenant keeps waiting at once.
const MAX_PAGES = 25;

async function loadAll(status: Tab, signal: AbortSignal): Promise<S.HitlInboxItem[]> {
  const items: S.HitlInboxItem[] = [];
  let cursor: string | undefined;
  for (let page = 0; page < MAX_PAGES; page++) {
    const data = (await sdk.listHitlRequests(core, { query: { status, limit: PAGE, ...(cursor ? { cursor } : {}) }, signal })).data;
    items.push(...data.items);
    cursor = data.nextCursor;
    if (!cursor) break;
  }
  return items;
}

function useInbox(status: Tab, enabled: boolean) {
  return useQuery({ queryKey: queryKeys.hitlInbox(status), queryFn: ({ signal }) => loadAll(status, signal), enabled });
}

/** The nav entry with the number of pending requests; shown only to users who may decide. */
export function ApprovalsNav({ current }: { current: boolean }) {
  const { t } = useI18n();
  const me = useMe();
  const allowed = me.data?.canDecide === true;
  const inbox = useInbox('pending', allowed);
  if (!allowed) return null;
  const n = inbox.data?.length;
  return (
    <a href={href({ name: 'approvals' })} aria-current={current ? 'page' : undefined} data-testid="nav-approvals">
      {t('nav.approvals')}
      {n !== undefined && n > 0 && (
        <span className="nav-count" data-testid="approvals-count" aria-label={t('inbox.count', { n })}>
          {n}
        </span>
      )}
    </a>
  );
}

export function Approvals({ tab }: { tab: Tab }) {
  const { t, dateTime } = useI18n();
  const me = useMe();
  const allowed = me.data?.canDecide === true;
  const inbox = useInbox(tab, allowed);
  const [caseFilter, setCaseFilter] = useState('');
  const [actionFilter, setActionFilter] = useState('');
  // One clock for every countdown of the list (not one timer per row).
  const now = useNow(tab === 'pending');

  const items = inbox.data ?? [];
  const cases = useMemo(() => [...new Set(items.map((i) => i.caseId).filter((c): c is string => !!c))].sort(), [items]);
  const actions = useMemo(() => [...new Set(items.map((i) => i.actionType))].sort(), [items]);
  const shown = items.filter((i) => (!caseFilter || i.caseId === caseFilter) && (!actionFilter || i.actionType === actionFilter));

  if (me.isPending) return <p role="status">{t('cases.loading')}</p>;
  if (me.isError) return <ErrorBox error={me.error} onRetry={() => void me.refetch()} />;
  if (!allowed) {
    return (
      <section className="approvals" aria-labelledby="approvals-title">
        <h1 id="approvals-title">{t('inbox.title')}</h1>
        <p data-testid="inbox-not-allowed">{t('inbox.notAllowed', { role: me.data?.role ?? '—' })}</p>
      </section>
    );
  }

  return (
    <section className="approvals" aria-labelledby="approvals-title" data-testid="approvals">
      <div className="section-head">
        <h1 id="approvals-title">{t('inbox.title')}</h1>
        <div className="inbox-filters">
          <label className="inline">
            {t('inbox.case')}
            <select value={caseFilter} onChange={(e) => setCaseFilter(e.target.value)} data-testid="inbox-case-filter">
              <option value="">{t('cases.all')}</option>
              {cases.map((c) => (
                <option key={c} value={c}>
                  {c}
                </option>
              ))}
            </select>
          </label>
          <label className="inline">
            {t('inbox.action')}
            <select value={actionFilter} onChange={(e) => setActionFilter(e.target.value)} data-testid="inbox-action-filter">
              <option value="">{t('cases.all')}</option>
              {actions.map((a) => (
                <option key={a} value={a}>
                  {a}
                </option>
              ))}
            </select>
          </label>
        </div>
      </div>
      <div role="tablist" className="tabs">
        {(['pending', 'expired'] as const).map((k) => (
          <button
            key={k}
            type="button"
            role="tab"
            aria-selected={tab === k}
            data-testid={`tab-${k}`}
            onClick={() => navigate(k === 'expired' ? { name: 'approvals', tab: 'expired' } : { name: 'approvals' })}
          >
            {t(k === 'pending' ? 'inbox.pending' : 'inbox.expired')}
          </button>
        ))}
      </div>
      {inbox.isPending && <p role="status">{t('cases.loading')}</p>}
      {inbox.isError && <ErrorBox error={inbox.error} onRetry={() => void inbox.refetch()} />}
      {inbox.data && shown.length === 0 && <p data-testid="inbox-empty">{t(tab === 'pending' ? 'inbox.empty' : 'inbox.emptyExpired')}</p>}
      {shown.length > 0 && (
        <ul className="inbox" data-testid="inbox-list" data-tab={tab}>
          {shown.map((i) => {
            const left = i.expiresAt === null ? null : Math.max(0, Math.ceil(i.expiresAt - now / 1000));
            const link = i.caseId ? href({ name: 'case', caseId: i.caseId, ...(i.streamId ? { stream: i.streamId } : {}) }) : undefined;
            return (
              <li key={i.requestId} className="card inbox-item" data-testid="inbox-item" data-request-id={i.requestId} data-case-id={i.caseId ?? ''} data-status={i.status}>
                <div className="inbox-head">
                  <strong>{i.caseId ?? '—'}</strong> · <span data-testid="inbox-action">{i.actionType}</span>
                  {tab === 'pending' && left !== null && (
                    <span className={`countdown${left < 60 ? ' urgent' : ''}`} data-testid="inbox-countdown" data-seconds={left}>
                      {t('hitl.expires')} {t('hitl.seconds', { n: left })}
                    </span>
                  )}
                  {tab === 'expired' && <span className="badge status status-hold">{t('inbox.onHold')}</span>}
                </div>
                <p className="inbox-summary">{i.summary}</p>
                <div className="muted small">
                  {t('inbox.requestedBy', { who: i.requestedBy, when: dateTime(i.requestedAt) })}
                  {i.docKey ? (
                    <>
                      {' · '}
                      <code>{i.docKey}</code>
                    </>
                  ) : null}
                </div>
                {link && (
                  <a href={link} data-testid="inbox-open">
                    {t(tab === 'pending' ? 'inbox.open' : 'inbox.openRun')}
                  </a>
                )}
              </li>
            );
          })}
        </ul>
      )}
    </section>
  );
}
