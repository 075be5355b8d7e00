// Watches the CASE_ACTION channel the way any subscriber would, parsing every message with the
// generated helper (an off-contract message fails the test).
import Redis from 'ioredis';
import { caseActionAddress, parseCaseActionMessage, type CaseActionMessage } from '../../generated/redis';
import { testRedisUrl } from '../support/redis';

export async function observeCaseActions() {
  const sub = new Redis(testRedisUrl());
  const seen: CaseActionMessage[] = [];
  const errors: Error[] = [];
  sub.on('message', (_channel: string, raw: string) => {
    try {
      seen.push(parseCaseActionMessage(raw));
    } catch (err) {
      errors.push(err as Error);
    }
  });
  await sub.subscribe(caseActionAddress());
  return {
    errors,
    /** Aura's CASE_ACTION for this request: polled a bounded number of times. */
    async forRequest(requestId: string, attempts = 100): Promise<CaseActionMessage[]> {
      for (let i = 0; i < attempts; i++) {
        const found = seen.filter((m) => m.request_id === requestId);
        if (found.length) return found;
        await new Promise((r) => setTimeout(r, 50));
      }
      return [];
    },
    close: () => sub.quit(),
  };
}
