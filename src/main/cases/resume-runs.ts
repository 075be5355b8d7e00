import type { Logger } from '../../shared/logger';
import type { CaseRepo } from './repo';
import type { RunFollower } from './run-follower';

/**
 * Followers live in memory: if the backend stopped while following analysis runs, their results
 * would never reach the cases. At start-up, follow again every run started in the last
 * `lookbackMs` whose result was not written (Aura keeps the run's state and stream in Redis,
 * so a late follower still gets the result). The follower calls Aura with the backend's own
 * service credential, so nothing of the original caller is needed.
 */
export async function resumeUnappliedRuns(o: {
  cases: CaseRepo;
  follower: RunFollower;
  log: Logger;
  lookbackMs: number;
}): Promise<number> {
  const runs = await o.cases.unappliedRuns(new Date(Date.now() - o.lookbackMs));
  for (const r of runs) void o.follower.follow(r);
  if (runs.length) o.log.info({ runs: runs.length }, 'following analysis runs whose results were not applied yet');
  return runs.length;
}
