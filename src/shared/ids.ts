import { randomUUID } from 'node:crypto';
import { IDENTIFIER_PATTERN } from '../../generated/contract';

export function isIdentifier(v: unknown): v is string {
  return typeof v === 'string' && IDENTIFIER_PATTERN.test(v);
}

/** A fresh identifier with a readable prefix, e.g. `req-3f2a…`. */
export function newId(prefix: string): string {
  return `${prefix}-${randomUUID()}`;
}

/** Ids may arrive as numbers (BELNR, BUZEI); the contract normalises them to strings. */
export function normaliseId(v: unknown): string | undefined {
  if (typeof v === 'number' && Number.isFinite(v)) return String(v);
  if (typeof v === 'string' && v.length > 0) return v;
  return undefined;
}
