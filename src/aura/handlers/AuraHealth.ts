import type { AuraHealthInput, AuraHealthOutput } from '../../../generated/server/operations';
import type { RequestContext } from '../../shared/http/service-app';
import { healthReport } from '../../shared/health';
import type { HealthProbe } from '../ports';

export function makeAuraHealth(deps: { redis: HealthProbe }) {
  return async function AuraHealth(_input: AuraHealthInput, _ctx: RequestContext): Promise<AuraHealthOutput> {
    return healthReport('aura', { redis: async () => ({ up: await deps.redis.ping() }) });
  };
}
