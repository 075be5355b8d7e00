import jwt from 'jsonwebtoken';
import type { JwtClaims } from '../../../generated/schemas';
import { JwtClaims as validateClaims } from '../../../generated/validators/schemas';
import { ApiError } from '../errors';
import { unixSeconds } from '../time';

// HS256 only: `none` and every other algorithm are rejected by the allow-list.
const ALGORITHMS: jwt.Algorithm[] = ['HS256'];

export interface SignInput {
  sub: string;
  tenantId: string;
  role?: string;
  ttlSeconds: number;
  now?: Date;
}

export function signToken(secret: string, input: SignInput): string {
  const iat = unixSeconds(input.now);
  const claims: JwtClaims = { sub: input.sub, tenant_id: input.tenantId, iat, exp: iat + input.ttlSeconds };
  if (input.role) claims.role = input.role;
  // iat is ours (jsonwebtoken keeps a given iat; its noTimestamp option would delete it).
  return jwt.sign(claims, secret, { algorithm: 'HS256' });
}

/** Verifies signature, algorithm, expiry and claim shapes; throws the contract's error codes. */
export function verifyToken(secret: string, token: string): JwtClaims {
  let payload: unknown;
  try {
    payload = jwt.verify(token, secret, { algorithms: ALGORITHMS });
  } catch (err) {
    if (err instanceof jwt.TokenExpiredError) throw new ApiError('E2002');
    throw new ApiError('E2003');
  }
  if (!validateClaims(payload)) throw new ApiError('E2003', 'Token claims do not match the contract');
  return payload as JwtClaims;
}
