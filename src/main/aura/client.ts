import { ServiceClient } from '../../../generated/service-client';
import { serviceToken } from '../../shared/auth/service-token';

export interface AuraCallOptions {
  baseUrl: string;
  /** Signs the backend's service credential: Aura's internal operations take no user token. */
  jwtSecret: string;
  /** The tenant the call is made for. */
  tenantId: string;
  timeoutMs: number;
}

/** The service principal the backend calls Aura as. */
export const MAIN_SERVICE = 'main';

/**
 * The generated service client, calling Aura directly (no `/api` prefix) as the backend's
 * service, with a per-call timeout. The token is minted per call: a followed stream that
 * reconnects after many minutes still shows a fresh one.
 */
export function auraClient(o: AuraCallOptions): ServiceClient {
  return new ServiceClient({
    baseUrl: o.baseUrl,
    token: () => serviceToken(o.jwtSecret, MAIN_SERVICE, o.tenantId),
    tenantId: o.tenantId,
    direct: true,
    // The generated client aborts every call after this (streams take the caller's signal instead).
    timeoutMs: o.timeoutMs,
  });
}

/** True for errors worth retrying: network failures, timeouts, 5xx. */
export function isTransient(err: unknown): boolean {
  const status = (err as { status?: number }).status;
  if (typeof status === 'number') return status >= 500;
  return true;
}
