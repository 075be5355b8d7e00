// Watches the CASE_ACTION channel the way any subscriber would. Other suites share this Redis
// and publish on the same channel (some deliberately off-contract), so messages are picked by
// request id first; each of ours is then parsed with the generated helper, and an off-contract
// one fails the test.
import Redis from 'ioredis';
import { caseActionAddress, parseCaseActionMessage, type CaseActionMessage } from '../../generated/redis';
import { testRedisUrl } from '../support/redis';

function requestIdOf(raw: string): string | undefined {
  try {
    const o: unknown = JSON.parse(raw);
    const id = o && typeof o === 'object' ? (o as { request_id?: unknown }).request_id : undefined;
    return typeof id === 'string' ? id : undefined;
  } catch {
    return undefined;
  }
}

export async function observeCaseActions() {
  const sub = new Redis(testRedisUrl());
  const raws: string[] = [];
  const errors: Error[] = [];
  sub.on('message', (_channel: string, raw: string) => raws.push(raw));
  await sub.subscribe(caseActionAddress());
  const ofRequest = (requestId: string): CaseActionMessage[] => {
    const out: CaseActionMessage[] = [];
    for (const raw of raws.filter((r) => requestIdOf(r) === requestId)) {
      try {
        out.push(parseCaseActionMessage(raw));
      } catch (err) {
        errors.push(err as Error);
      }
    }
    return out;
  };
  return {
    errors,
    /** Aura's CASE_ACTION for this request: polled a bounded number of times. */
    async forRequest(requestId: string, attempts = 300): Promise<CaseActionMessage[]> {
      for (let i = 0; i < attempts; i++) {
        const found = ofRequest(requestId);
        if (found.length || errors.length) return found;
        await new Promise((r) => setTimeout(r, 50));
      }
      return [];
    },
    close: () => sub.quit(),
  };
}
