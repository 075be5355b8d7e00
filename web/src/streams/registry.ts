// Followed streams live beyond the component showing them: leaving a case and coming back (or a
// reload, through sessionStorage) finds the same run, still connected or restored.
import type { QueryClient } from '@tanstack/react-query';
import { getSession } from '../session';
import type { AgentFrame } from './agent-view';
import { type Frame, StreamSession } from './stream-session';
import { queryKeys } from '../queries';

export type Kind = 'agent' | 'analysis';

const sessions = new Map<string, StreamSession<Frame>>();
const PREFIX = 'dwp.stream.';

function keyOf(kind: Kind, caseId: string): string {
  const s = getSession();
  return `${PREFIX}${s?.tenantId ?? '-'}.${s?.userId ?? '-'}.${kind}.${caseId}`;
}

/** The agent or analysis stream followed on a case; the case is refetched when a run ends. */
export function streamFor<F extends Frame>(kind: Kind, caseId: string, queryClient: QueryClient): StreamSession<F> {
  const key = keyOf(kind, caseId);
  let s = sessions.get(key);
  if (!s) {
    s = new StreamSession<Frame>(key, (f) => {
      const ends = kind === 'agent' ? (f as AgentFrame).event === 'end' : f.event === 'completed' || f.event === 'failed';
      // A timeout or a decision changed the case: show it without waiting for the notification.
      const decided = kind === 'agent' && (f as AgentFrame).event === 'tool_execution' && (f.data as { requiresApproval?: boolean }).requiresApproval === true;
      if (ends || decided) {
        void queryClient.invalidateQueries({ queryKey: queryKeys.case(caseId) });
        void queryClient.invalidateQueries({ queryKey: queryKeys.cases() });
      }
    });
    sessions.set(key, s);
  }
  return s as unknown as StreamSession<F>;
}

/** Sign-out: stop every stream and forget what was stored. */
export function clearStreams(): void {
  for (const s of sessions.values()) s.clear();
  sessions.clear();
  for (let i = sessionStorage.length - 1; i >= 0; i--) {
    const k = sessionStorage.key(i);
    if (k?.startsWith(PREFIX)) sessionStorage.removeItem(k);
  }
}
