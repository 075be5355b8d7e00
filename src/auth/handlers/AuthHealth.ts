import type { AuthHealthInput, AuthHealthOutput } from '../../../generated/server/operations';
import type { RequestContext } from '../../shared/http/service-app';
import { databaseCheck, healthReport } from '../../shared/health';
import type { AuthDeps } from '../app';

export function makeAuthHealth(deps: AuthDeps) {
  return async function AuthHealth(_input: AuthHealthInput, _ctx: RequestContext): Promise<AuthHealthOutput> {
    return healthReport('auth', {
      database: databaseCheck(deps.db, deps.dbKind),
    });
  };
}
