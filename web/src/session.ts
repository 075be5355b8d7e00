// The signed-in user, kept in sessionStorage so a reload stays signed in (and per tab, so two
// tabs can be two users). A small external store: React reads it with useSyncExternalStore.
import { useSyncExternalStore } from 'react';

export interface Session {
  token: string;
  tenantId: string;
  userId: string;
  username: string;
  role?: string;
  /** When the token expires, ms since the epoch (from the login's expiresIn). */
  expiresAt: number;
}

/** Why the user is looking at the login page: shown there as a message. */
export type SignOutReason = 'expired' | 'signedOut';

const KEY = 'dwp.session';
let current: Session | null = read();
let reason: SignOutReason | null = null;
const listeners = new Set<() => void>();
let expiryTimer: ReturnType<typeof setTimeout> | undefined;

function read(): Session | null {
  try {
    const raw = sessionStorage.getItem(KEY);
    if (!raw) return null;
    const s = JSON.parse(raw) as Session;
    return typeof s.token === 'string' && typeof s.expiresAt === 'number' ? s : null;
  } catch {
    return null;
  }
}

function emit(): void {
  for (const l of listeners) l();
}

function armExpiry(): void {
  clearTimeout(expiryTimer);
  if (!current) return;
  // setTimeout's delay is a 32-bit int; a longer token is re-armed when it gets closer.
  const left = Math.min(current.expiresAt - Date.now(), 2 ** 31 - 1);
  if (left <= 0) return signOut('expired');
  expiryTimer = setTimeout(() => (current && current.expiresAt <= Date.now() ? signOut('expired') : armExpiry()), left);
}

export function signIn(s: Session): void {
  current = s;
  reason = null;
  sessionStorage.setItem(KEY, JSON.stringify(s));
  armExpiry();
  emit();
}

export function signOut(why: SignOutReason): void {
  if (!current) return;
  current = null;
  reason = why;
  clearTimeout(expiryTimer);
  sessionStorage.removeItem(KEY);
  emit();
}

export function getSession(): Session | null {
  return current;
}

export function signOutReason(): SignOutReason | null {
  return reason;
}

function subscribe(l: () => void): () => void {
  listeners.add(l);
  return () => listeners.delete(l);
}

export function useSession(): Session | null {
  return useSyncExternalStore(subscribe, getSession);
}

armExpiry();
