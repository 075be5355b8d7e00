import { ServiceClient } from '../../../generated/service-client';

export interface AuraCallOptions {
  baseUrl: string;
  /** The caller's bearer token and tenant, forwarded: Aura checks them like any service. */
  token: string;
  tenantId: string;
  timeoutMs: number;
}

/** The generated service client, calling Aura directly (no `/api` prefix), with a per-call timeout. */
export function auraClient(o: AuraCallOptions): ServiceClient {
  return new ServiceClient({
    baseUrl: o.baseUrl,
    token: o.token,
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
