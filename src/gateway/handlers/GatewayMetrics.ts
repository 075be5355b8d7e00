import type { GatewayMetricsInput, GatewayMetricsOutput } from '../../../generated/server/operations';
import { ApiError } from '../../shared/errors';
import type { Logger } from '../../shared/logger';
import type { GatewayContext } from '../context';

export function makeGatewayMetrics(deps: {
  /** The exposition text: this process's registry, or all cluster workers'. */
  metricsText: () => Promise<string>;
  contentType: string;
  logger: Logger;
}) {
  return async function GatewayMetrics(_input: GatewayMetricsInput, _ctx: GatewayContext): Promise<GatewayMetricsOutput> {
    let text: string;
    try {
      text = await deps.metricsText();
    } catch (err) {
      deps.logger.warn({ err }, 'metrics unavailable');
      throw new ApiError('E1000', 'Metrics unavailable', null, 503);
    }
    return { status: 200, body: text, contentType: deps.contentType };
  };
}
