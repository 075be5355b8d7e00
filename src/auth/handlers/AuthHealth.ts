import { sql } from 'kysely';
import type { AuthHealthInput, AuthHealthOutput } from '../../../generated/server/operations';
import type { RequestContext } from '../../shared/http/service-app';
import { healthReport } from '../../shared/health';
import type { AuthDeps } from '../app';

export function makeAuthHealth(deps: AuthDeps) {
  return async function AuthHealth(_input: AuthHealthInput, _ctx: RequestContext): Promise<AuthHealthOutput> {
    return healthReport('auth', {
      database: async () => {
        await sql`select 1`.execute(deps.db);
        return { up: true, detail: deps.dbKind };
      },
    });
  };
}
