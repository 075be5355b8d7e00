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
  const pub = new Redis(testRedisUrl());
  // Redis delivers a connection's messages in publish order: once a probe published after the
  // first match has arrived, every copy published before it has too ("nothing more came").
  const probe = `test:probe:${Math.random().toString(36).slice(2)}`;
  const raws: string[] = [];
  const errors: Error[] = [];
  let onProbe: (() => void) | undefined;
  sub.on('message', (channel: string, raw: string) => {
    if (channel === probe) onProbe?.();
    else raws.push(raw);
  });
  await sub.subscribe(caseActionAddress(), probe);
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
    /**
     * Every CASE_ACTION for this request: waits (a bounded number of polls) for the first, then
     * for a probe, so a second copy that follows it is counted too.
     */
    async forRequest(requestId: string, attempts = 300): Promise<CaseActionMessage[]> {
      for (let i = 0; i < attempts && !raws.some((r) => requestIdOf(r) === requestId); i++) await new Promise((r) => setTimeout(r, 50));
      const arrived = new Promise<void>((r) => (onProbe = r));
      await pub.publish(probe, 'probe');
      await arrived;
      return ofRequest(requestId);
    },
    close: async () => {
      await sub.quit();
      await pub.quit();
    },
  };
}
