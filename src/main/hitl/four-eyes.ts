// Segregation of duties on HITL decisions: whoever asked Aura about a case (the HITL request's
// `userId`) may not also approve or reject what Aura proposed, whatever their role. A tenant of
// one person switches the rule off (tenants.four_eyes).
import type { Kysely } from 'kysely';
import type * as S from '../../../generated/schemas';
import type { DB } from '../../shared/db/schema';
import { ApiError } from '../../shared/errors';

export interface TenantPolicy {
  fourEyes(tenantId: string): Promise<boolean>;
}

export function dbTenantPolicy(db: Kysely<DB>): TenantPolicy {
  return {
    async fourEyes(tenantId) {
      const row = await db.selectFrom('tenants').select('four_eyes').where('tenant_id', '=', tenantId).executeTakeFirst();
      // A tenant the database does not know keeps the safe default.
      return row?.four_eyes ?? true;
    },
  };
}

export function checkFourEyes(record: S.HitlRequestRecord, deciderId: string, fourEyes: boolean): void {
  if (!fourEyes || record.userId !== deciderId) return;
  throw new ApiError(
    'E1003',
    `Four-eyes rule: ${deciderId} started this run and may not decide its HITL request; another approver must`,
    { rule: 'FOUR_EYES', requestId: record.requestId, requestedBy: record.userId },
  );
}
