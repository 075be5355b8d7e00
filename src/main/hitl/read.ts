import { ApiError } from '../../shared/errors';
import type { RequestContext } from '../../shared/http/service-app';

/** Runs a Redis read; Redis down → 503 (retry), a record off the contract → 500, both logged. */
export async function readOrUnavailable<T>(ctx: RequestContext, fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (err) {
    if ((err as Error).name === 'ContractViolationError') {
      ctx.log.error({ err }, 'HITL data in Redis does not match the contract');
      throw new ApiError('E1000', 'Stored HITL data is corrupt');
    }
    ctx.log.warn({ err: (err as Error).message }, 'Redis read failed');
    throw new ApiError('E1000', 'Redis is unavailable; retry', null, 503);
  }
}
