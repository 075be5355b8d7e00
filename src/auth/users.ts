import type { Kysely } from 'kysely';
import type { DB, Role } from '../shared/db/schema';

export interface UserRecord {
  userId: string;
  tenantId: string;
  username: string;
  passwordHash: string;
  role: Role;
  displayName: string;
  /** The tenant's four-eyes rule on HITL decisions. */
  fourEyes: boolean;
}

/** What the auth server needs to know about users (a port: the database, or anything else). */
export interface UserDirectory {
  /** The user with this username in an existing tenant, or undefined (unknown tenant or user). */
  findByUsername(tenantId: string, username: string): Promise<UserRecord | undefined>;
  findById(tenantId: string, userId: string): Promise<UserRecord | undefined>;
}

export function createDbUserDirectory(db: Kysely<DB>): UserDirectory {
  const base = () =>
    db
      .selectFrom('users')
      .innerJoin('tenants', 'tenants.tenant_id', 'users.tenant_id')
      .select([
        'users.user_id as userId',
        'users.tenant_id as tenantId',
        'users.username as username',
        'users.password_hash as passwordHash',
        'users.role as role',
        'users.display_name as displayName',
        'tenants.four_eyes as fourEyes',
      ]);
  return {
    findByUsername: (tenantId, username) =>
      base().where('users.tenant_id', '=', tenantId).where('users.username', '=', username).executeTakeFirst(),
    findById: (tenantId, userId) =>
      base().where('users.tenant_id', '=', tenantId).where('users.user_id', '=', userId).executeTakeFirst(),
  };
}
