import type { IncomingMessage } from 'node:http';
import { HEADERS } from '../../../../generated/contract';
import { token } from '../../../support/auth';

/**
 * The pacts carry an example bearer token; the verifier swaps it for a real one the provider
 * accepts (signed with its secret, for the request's tenant) — tokens are not part of the contract.
 */
export function realTokenFilter(secret: string, sub = 'acme-approver', role?: string, byExample: Record<string, { sub: string; role?: string }> = {}) {
  return (req: IncomingMessage, _res: unknown, next: () => void) => {
    const auth = req.headers.authorization;
    if (typeof auth === 'string' && auth.startsWith('Bearer ')) {
      const tenantId = String(req.headers[HEADERS.TENANT_ID.toLowerCase()] ?? 'acme');
      // An interaction about who the caller is (a user where a service is required) names its
      // caller by the example token it carries; every other one gets the filter's caller.
      const who = byExample[auth.slice('Bearer '.length)] ?? { sub, role };
      req.headers.authorization = `Bearer ${token(who.sub, tenantId, { secret, role: who.role ?? null })}`;
    }
    next();
  };
}
