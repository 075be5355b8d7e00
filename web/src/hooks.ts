// Hooks more than one page uses.
import { useQuery } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import { core, sdk } from './api';
import { queryKeys } from './queries';

/** The signed-in user's role and what it may do (one query, shared by every caller). */
export function useMe() {
  return useQuery({ queryKey: queryKeys.me(), queryFn: async ({ signal }) => (await sdk.getMe(core, { signal })).data, staleTime: 60_000 });
}

/** The time, ticking every second while `active`: one clock for every countdown it drives. */
export function useNow(active: boolean): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    if (!active) return;
    const t = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(t);
  }, [active]);
  return now;
}
