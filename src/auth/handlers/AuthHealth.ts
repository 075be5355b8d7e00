import type { Kysely } from 'kysely';
import type { AuthHealthInput, AuthHealthOutput } from '../../../generated/server/operations';
import type { DB } from '../../shared/db/schema';
import type { RequestContext } from '../../shared/http/service-app';
import { databaseCheck, healthReport } from '../../shared/health';

export function makeAuthHealth(deps: { db: Kysely<DB>; dbKind: string }) {
  return async function AuthHealth(_input: AuthHealthInput, _ctx: RequestContext): Promise<AuthHealthOutput> {
    return healthReport('auth', {
      database: databaseCheck(deps.db, deps.dbKind),
    });
  };
}
