/**
 * Polls `check` until it returns a truthy value and returns that value; for effects that have
 * no event to wait on. A check that throws is tried again (the last error is in the failure).
 * Bounded by a deadline, never a fixed sleep standing in for synchronisation.
 */
export async function eventually<T>(
  check: () => T | Promise<T>,
  what: string,
  opts: { timeoutMs?: number; everyMs?: number } = {},
): Promise<Exclude<T, false | null | undefined | 0 | ''>> {
  const timeoutMs = opts.timeoutMs ?? 20_000;
  const everyMs = opts.everyMs ?? 50;
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const v = await check();
      if (v) return v as Exclude<T, false | null | undefined | 0 | ''>;
    } catch (err) {
      last = err;
    }
    if (Date.now() >= deadline) {
      throw new Error(`not within ${timeoutMs} ms: ${what}${last ? ` (last error: ${last instanceof Error ? last.message : String(last)})` : ''}`);
    }
    await new Promise((r) => setTimeout(r, everyMs));
  }
}
