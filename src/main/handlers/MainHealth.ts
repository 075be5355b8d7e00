import { sql } from 'kysely';
import type { MainHealthInput, MainHealthOutput } from '../../../generated/server/operations';
import type { RequestContext } from '../../shared/http/service-app';
import { healthReport } from '../../shared/health';
import { pingRedis } from '../../shared/redis/connection';
import type { MainDeps } from '../app';

export function makeMainHealth(deps: MainDeps) {
  return async function MainHealth(_input: MainHealthInput, _ctx: RequestContext): Promise<MainHealthOutput> {
    return healthReport('main', {
      database: async () => {
        await sql`select 1`.execute(deps.db);
        return { up: true, detail: deps.dbKind };
      },
      redis: async () => ({ up: await pingRedis(deps.redis) }),
    });
  };
}
