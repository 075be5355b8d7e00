import type { GatewayHealthInput, GatewayHealthOutput } from '../../../generated/server/operations';
import type { HealthChecks } from '../../shared/health';
import { healthReport } from '../../shared/health';
import type { GatewayContext } from '../context';
import type { HistorySink } from '../history';
import type { Upstream } from '../routes';
import type { UpstreamPool } from '../upstream-pool';

const CHECK_TIMEOUT_MS = 2_000;

/**
 * The gateway is up when it can answer; each upstream instance is probed at its own health
 * path and reported, but a down upstream only degrades the report (routes to the others work).
 */
export function makeGatewayHealth(deps: { pools: Record<Upstream, UpstreamPool>; history: HistorySink }) {
  return async function GatewayHealth(_input: GatewayHealthInput, _ctx: GatewayContext): Promise<GatewayHealthOutput> {
    const checks: HealthChecks = {};
    for (const [name, pool] of Object.entries(deps.pools)) {
      pool.instances.forEach((inst, i) => {
        const key = pool.instances.length === 1 ? name : `${name}[${i}]`;
        checks[key] = async () => {
          try {
            const r = await fetch(new URL(`/${name}/health`, inst.url), { signal: AbortSignal.timeout(CHECK_TIMEOUT_MS) });
            await r.arrayBuffer();
            return { up: r.status === 200, detail: `${inst.url.origin} answered ${r.status}`, critical: false };
          } catch (err) {
            return { up: false, detail: `${inst.url.origin}: ${(err as Error).message}`, critical: false };
          }
        };
      });
    }
    checks.history = async () => ({ up: true, detail: `${deps.history.buffered()} rows buffered`, critical: false });
    return healthReport('gateway', checks);
  };
}
