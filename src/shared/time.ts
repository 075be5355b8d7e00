// The two timestamp kinds of the contract, both computed from UTC and never mixed.

/** Unix time in whole seconds (JWT iat/exp, HITL signals and records). */
export function unixSeconds(at: Date = new Date()): number {
  return Math.floor(at.getTime() / 1000);
}

/** ISO-8601 with an explicit offset (`Z`), for envelopes and notifications. */
export function isoNow(at: Date = new Date()): string {
  return at.toISOString();
}
