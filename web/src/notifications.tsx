// The tenant's notifications: the stored list, then live pushes from the main service's stream.
// A pushed CASE_ACTION names the case to refetch; that is a query invalidation, so every screen
// showing the case (this tab's, or another browser's on the same tenant) reloads it.
import { useQuery, useQueryClient, type QueryClient } from '@tanstack/react-query';
import { createContext, useCallback, useContext, useEffect, useMemo, useState, type ReactNode } from 'react';
import type * as S from '../../generated/sdk';
import { core, sdk } from './api';
import { queryKeys } from './queries';
import type { Session } from './session';
import type { ConnState } from './streams/stream-session';

interface NotificationsState {
  items: S.NotificationItem[];
  unread: number;
  state: ConnState;
  error: unknown;
  markAllRead(): void;
}

const Ctx = createContext<NotificationsState | null>(null);
const LIST_LIMIT = 50;

const idNum = (id: string) => BigInt(id);

function merge(list: S.NotificationItem[], item: S.NotificationItem): S.NotificationItem[] {
  if (list.some((n) => n.id === item.id)) return list;
  return [item, ...list].sort((a, b) => (idNum(b.id) > idNum(a.id) ? 1 : -1)).slice(0, 200);
}

function applyPush(qc: QueryClient, push: S.NotificationPushEvent): void {
  qc.setQueryData<S.NotificationItem[]>(queryKeys.notifications(), (old) => merge(old ?? [], push.notification));
  // A HITL request appeared, was decided or expired: every open inbox of the tenant reloads.
  if (push.notification.type === 'HITL_REQUEST') void qc.invalidateQueries({ queryKey: queryKeys.hitlInbox() });
  const caseId = push.refetch?.caseId ?? push.notification.caseId ?? undefined;
  if (caseId) {
    void qc.invalidateQueries({ queryKey: queryKeys.case(caseId) });
    void qc.invalidateQueries({ queryKey: queryKeys.cases() });
  }
}

export function NotificationsProvider({ session, children }: { session: Session; children: ReactNode }) {
  const qc = useQueryClient();
  const seenKey = `dwp.notif.seen.${session.tenantId}.${session.userId}`;
  const [seen, setSeen] = useState<string>(() => localStorage.getItem(seenKey) ?? '0');
  const [state, setState] = useState<ConnState>('idle');
  const [error, setError] = useState<unknown>(undefined);

  const list = useQuery({
    queryKey: queryKeys.notifications(),
    queryFn: async ({ signal }) => (await sdk.listNotifications(core, { query: { limit: LIST_LIMIT }, signal })).data.items,
    staleTime: Infinity,
  });

  useEffect(() => {
    const ac = new AbortController();
    setState('connecting');
    void (async () => {
      try {
        const stream = sdk.streamNotifications(core, {}, { signal: ac.signal, onState: (s) => {
            setState(s.state);
            // Whatever was stored before this (re)connection and not pushed to it is in the list.
            if (s.state === 'open') {
              void qc.invalidateQueries({ queryKey: queryKeys.notifications() });
              // The inbox may have changed while the stream was away, too.
              void qc.invalidateQueries({ queryKey: queryKeys.hitlInbox() });
            }
          },
        });
        for await (const ev of stream) {
          if (ev.event === 'notification') applyPush(qc, ev.data as S.NotificationPushEvent);
          else if (ev.event === 'error') setError(ev.data);
        }
        if (!ac.signal.aborted) setState('closed');
      } catch (err) {
        if (ac.signal.aborted) return;
        setError(err);
        setState('failed');
      }
    })();
    return () => ac.abort();
  }, [qc, session.token]);

  const items = list.data ?? [];
  const unread = useMemo(() => items.filter((n) => idNum(n.id) > idNum(seen)).length, [items, seen]);
  const markAllRead = useCallback(() => {
    const top = items[0]?.id;
    if (!top) return;
    localStorage.setItem(seenKey, top);
    setSeen(top);
  }, [items, seenKey]);

  // react-query reports "no error" as null, while the panel shows an error for anything but undefined.
  const value = useMemo(() => ({ items, unread, state, error: error ?? list.error ?? undefined, markAllRead }), [items, unread, state, error, list.error, markAllRead]);
  return <Ctx.Provider value={value}>{children}</Ctx.Provider>;
}

export function useNotifications(): NotificationsState {
  const v = useContext(Ctx);
  if (!v) throw new Error('useNotifications outside NotificationsProvider');
  return v;
}
