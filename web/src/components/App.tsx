import { useQueryClient } from '@tanstack/react-query';
import { useEffect } from 'react';
import { useI18n } from '../i18n';
import { NotificationsProvider } from '../notifications';
import { href, useRoute } from '../router';
import { type Session, signOut, useSession } from '../session';
import { clearStreams } from '../streams/registry';
import { CaseDetail } from './CaseDetail';
import { CaseList } from './CaseList';
import { ErrorBoundary, ErrorBox } from './ErrorBox';
import { LangSwitch } from './LangSwitch';
import { Login } from './Login';
import { NotificationBell } from './Notifications';
import { Approvals, ApprovalsNav } from './Approvals';

export function App() {
  const session = useSession();
  const qc = useQueryClient();
  // Whatever the previous user saw must not show through to the next one.
  useEffect(() => {
    if (!session) {
      clearStreams();
      qc.clear();
    }
  }, [session, qc]);
  if (!session) return <Login />;
  return (
    <NotificationsProvider session={session} key={`${session.tenantId}/${session.userId}`}>
      <Shell session={session} />
    </NotificationsProvider>
  );
}

function Shell({ session }: { session: Session }) {
  const { t } = useI18n();
  const route = useRoute();
  return (
    <>
      <a href="#main" className="skip" onClick={(e) => (e.preventDefault(), document.getElementById('main')?.focus())}>
        {t('app.skip')}
      </a>
      <header className="top">
        <a href={href({ name: 'cases' })} className="brand">
          {t('app.title')}
        </a>
        <nav aria-label="main">
          <a href={href({ name: 'cases' })} aria-current={route.name === 'cases' ? 'page' : undefined}>
            {t('nav.cases')}
          </a>
          <ApprovalsNav current={route.name === 'approvals'} />
        </nav>
        <div className="top-right">
          <NotificationBell />
          <span className="user" data-testid="current-user" title={t('nav.user')}>
            {session.username || session.userId} @ {session.tenantId}
            {session.role ? ` · ${session.role}` : ''}
          </span>
          <LangSwitch />
          <button type="button" onClick={() => signOut('signedOut')} data-testid="logout">
            {t('nav.logout')}
          </button>
        </div>
      </header>
      <main id="main" tabIndex={-1}>
        <ErrorBoundary key={route.name === 'case' ? route.caseId : route.name} fallback={(e, reset) => <ErrorBox error={e} onRetry={reset} />}>
          {route.name === 'case' ? (
            <CaseDetail caseId={route.caseId} joinStreamId={route.stream} />
          ) : route.name === 'approvals' ? (
            <Approvals tab={route.tab ?? 'pending'} />
          ) : (
            <CaseList status={route.status} />
          )}
        </ErrorBoundary>
      </main>
    </>
  );
}
