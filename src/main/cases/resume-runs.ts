import { signToken } from '../../shared/auth/jwt';
import type { Logger } from '../../shared/logger';
import type { CaseRepo } from './repo';
import type { RunFollower } from './run-follower';

/** The principal the backend uses when it calls Aura on its own behalf (no user request). */
export const SERVICE_PRINCIPAL = 'main-service';

/**
 * Followers live in memory: if the backend stopped while following analysis runs, their results
 * would never reach the cases. At start-up, follow again every run started in the last
 * `lookbackMs` whose result was not written (Aura keeps the run's state and stream in Redis,
 * so a late follower still gets the result). The caller's token is gone: use a service token.
 */
export async function resumeUnappliedRuns(o: {
  cases: CaseRepo;
  follower: RunFollower;
  jwtSecret: string;
  log: Logger;
  lookbackMs: number;
}): Promise<number> {
  const runs = await o.cases.unappliedRuns(new Date(Date.now() - o.lookbackMs));
  for (const r of runs) {
    const token = signToken(o.jwtSecret, { sub: SERVICE_PRINCIPAL, tenantId: r.tenantId, role: 'SYSTEM', ttlSeconds: 3600 });
    void o.follower.follow({ ...r, token });
  }
  if (runs.length) o.log.info({ runs: runs.length }, 'following analysis runs whose results were not applied yet');
  return runs.length;
}
