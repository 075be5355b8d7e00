import { type Kysely, sql } from 'kysely';
import type { HealthResponse } from '../../generated/schemas';
import type { DB } from './db/schema';
import { ok } from './envelope';

export type HealthChecks = Record<string, () => Promise<{ up: boolean; detail?: string; critical?: boolean }>>;

/**
 * Runs the checks, all at once (one slow dependency must not add its wait to every other
 * check); DOWN (503) when a critical one fails, DEGRADED (200) when another does.
 */
export async function healthReport(
  service: 'gateway' | 'auth' | 'main' | 'aura',
  checks: HealthChecks,
): Promise<{ status: 200 | 503; body: HealthResponse }> {
  const results: HealthResponse['data']['checks'] = {};
  let down = false;
  let degraded = false;
  const names = Object.keys(checks);
  const outcomes = await Promise.all(
    names.map((name) =>
      Promise.resolve()
        .then(checks[name])
        .catch((err: Error) => ({ up: false, detail: err.message, critical: undefined as boolean | undefined })),
    ),
  );
  names.forEach((name, i) => {
    const r = outcomes[i];
    const entry: { status: 'UP' | 'DOWN'; detail?: string } = { status: r.up ? 'UP' : 'DOWN' };
    if (r.detail) entry.detail = r.detail;
    results[name] = entry;
    if (!r.up) {
      if (r.critical === false) degraded = true;
      else down = true;
    }
  });
  const status = down ? 'DOWN' : degraded ? 'DEGRADED' : 'UP';
  return { status: down ? 503 : 200, body: ok({ service, status, checks: results }, `${service} is ${status}`) };
}

/** The database check every service with a database runs: it answers a query. */
export function databaseCheck(db: Kysely<DB>, kind: string): HealthChecks[string] {
  return async () => {
    await sql`select 1`.execute(db);
    return { up: true, detail: kind };
  };
}
