import bcrypt from 'bcryptjs';
import { ApiError } from '../shared/errors';
import type { UserDirectory, UserRecord } from './users';

// A real bcrypt hash (of a random string nobody knows) at the seed's cost: an unknown tenant or
// user still costs one bcrypt comparison, so response time does not reveal which users exist.
const DUMMY_HASH = '$2b$10$tGjFvyVP4DgZmNRP73y85u3fRfokQwD/ghZPsnTTzc60/pTyUTtO2';

export interface Credentials {
  tenantId: string;
  username: string;
  password: string;
}

/**
 * Returns the user when the password matches. Wrong password, unknown user and unknown tenant
 * all throw the same 401 E2004, after the same amount of work.
 */
export async function checkCredentials(users: UserDirectory, c: Credentials): Promise<UserRecord> {
  const user = await users.findByUsername(c.tenantId, c.username);
  const matches = await bcrypt.compare(c.password, user?.passwordHash ?? DUMMY_HASH);
  if (!user || !matches) throw new ApiError('E2004');
  return user;
}
