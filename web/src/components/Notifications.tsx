// The bell: unread count, and the list of the tenant's notifications as they arrive.
import { useEffect, useRef, useState } from 'react';
import { useI18n } from '../i18n';
import { useNotifications } from '../notifications';
import { href } from '../router';
import { ConnectionState } from './ConnectionState';
import { ErrorBox } from './ErrorBox';

export function NotificationBell() {
  const { t, dateTime } = useI18n();
  const { items, unread, state, error, markAllRead } = useNotifications();
  const [open, setOpen] = useState(false);
  const panel = useRef<HTMLDivElement>(null);
  const button = useRef<HTMLButtonElement>(null);

  useEffect(() => {
    if (!open) return;
    panel.current?.focus();
    const onKey = (e: KeyboardEvent) => {
      if (e.key === 'Escape') {
        setOpen(false);
        button.current?.focus();
      }
    };
    addEventListener('keydown', onKey);
    return () => removeEventListener('keydown', onKey);
  }, [open]);

  return (
    <div className="bell">
      <button ref={button} type="button" className="bell-button" aria-expanded={open} aria-controls="notif-panel" aria-label={t('notif.bell', { n: unread })} onClick={() => setOpen((o) => !o)} data-testid="bell">
        <svg aria-hidden="true" width="18" height="18" viewBox="0 0 24 24" fill="none" stroke="currentColor" strokeWidth="2" strokeLinecap="round" strokeLinejoin="round">
          <path d="M6 8a6 6 0 1 1 12 0c0 7 3 9 3 9H3s3-2 3-9" />
          <path d="M10.3 21a1.94 1.94 0 0 0 3.4 0" />
        </svg>
        {unread > 0 && (
          <span className="count" data-testid="unread-count">
            {unread > 99 ? '99+' : unread}
          </span>
        )}
      </button>
      {open && (
        <div id="notif-panel" ref={panel} className="notif-panel card" role="dialog" aria-label={t('notif.title')} tabIndex={-1} data-testid="notif-panel">
          <div className="section-head">
            <h2>{t('notif.title')}</h2>
            <ConnectionState state={state} testId="notif-connection" />
          </div>
          <div className="actions">
            <button type="button" onClick={markAllRead} disabled={unread === 0} data-testid="mark-read">
              {t('notif.markRead')}
            </button>
            <button type="button" onClick={() => setOpen(false)}>
              {t('notif.close')}
            </button>
          </div>
          {error !== undefined && <ErrorBox error={error} />}
          {items.length === 0 ? (
            <p className="muted">{t('notif.empty')}</p>
          ) : (
            <ul className="notif-list" data-testid="notif-list">
              {items.map((n) => (
                <li key={n.id} data-testid="notif-item" data-type={n.type} data-id={n.id} className={`notif notif-${n.type.toLowerCase()}`}>
                  <div>
                    <span className="tag">{n.type}</span> <strong>{n.title}</strong>
                  </div>
                  <div lang="ko">{n.content}</div>
                  <div className="muted small">
                    {dateTime(n.occurredAt)}
                    {n.caseId && (
                      <>
                        {' · '}
                        <a href={href({ name: 'case', caseId: n.caseId })} onClick={() => setOpen(false)}>
                          {n.caseId}
                        </a>
                      </>
                    )}
                  </div>
                </li>
              ))}
            </ul>
          )}
        </div>
      )}
    </div>
  );
}
