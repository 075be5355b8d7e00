import type { AuraHealthInput, AuraHealthOutput } from '../../../generated/server/operations';
import type { RequestContext } from '../../shared/http/service-app';
import { healthReport } from '../../shared/health';
import { pingRedis } from '../../shared/redis/connection';
import type { AuraDeps } from '../app';

export function makeAuraHealth(deps: AuraDeps) {
  return async function AuraHealth(_input: AuraHealthInput, _ctx: RequestContext): Promise<AuraHealthOutput> {
    return healthReport('aura', { redis: async () => ({ up: await pingRedis(deps.redis) }) });
  };
}
