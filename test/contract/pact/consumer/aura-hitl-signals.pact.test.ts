// Consumer: Aura receiving the backend's HITL decision signals. Each pact message is published
// on a real `hitl:channel:{sessionId}` and must resolve Aura's real SignalWaiter (which parses it
// with the generated helper and matches the request id).
import { MatchersV3 as M, PactV4, SpecificationVersion } from '@pact-foundation/pact';
import Redis from 'ioredis';
import pino from 'pino';
import { randomUUID } from 'node:crypto';
import { hitlChannelAddress } from '../../../../generated/redis';
import { SignalWaiter } from '../../../../src/aura/hitl/signal-waiter';
import { RedisHitlWaits } from '../../../../src/aura/redis/hitl-waits';
import { RedisSubscriber } from '../../../../src/aura/redis/subscriber';
import { testRedisUrl } from '../../../support/redis';
import { PACT_DIR, PACTICIPANTS } from '../names';

const pact = new PactV4({ consumer: PACTICIPANTS.aura, provider: PACTICIPANTS.mainMessages, dir: PACT_DIR, spec: SpecificationVersion.SPECIFICATION_VERSION_V4, logLevel: 'warn' });
const ID = /^[A-Za-z0-9._:-]{1,128}$/;
// Unix seconds, never milliseconds: an integer of at most ten digits (pact's integer matcher
// alone would accept milliseconds).
const unixSeconds = () => ({ 'pact:matcher:type': 'regex', regex: '^[0-9]{1,10}$', value: 1770000000 }) as unknown as number;

let redis: Redis;
let sub: Redis;
let waiter: SignalWaiter;
beforeAll(() => {
  redis = new Redis(testRedisUrl());
  sub = new Redis(testRedisUrl());
  waiter = new SignalWaiter(new RedisSubscriber(sub), new RedisHitlWaits(redis), pino({ level: 'silent' }));
});
afterAll(() => {
  redis.disconnect();
  sub.disconnect();
});

/** Delivers the message the way the backend does and returns what Aura's waiter resolved with. */
async function deliver(content: unknown) {
  const sessionId = `sess-pact-${randomUUID()}`;
  const w = await waiter.wait(sessionId, (content as { requestId: string }).requestId);
  await redis.publish(hitlChannelAddress({ sessionId }), JSON.stringify(content));
  return Promise.race([w.decision, new Promise((_, reject) => setTimeout(() => reject(new Error('signal not accepted by the waiter')), 5000))]);
}

test('an approval signal resumes the waiting run', async () => {
  await pact
    .addAsynchronousInteraction()
    .given('request req-pact-approve was approved')
    .expectsToReceive('a HITL approval signal', (b) =>
      b.withJSONContent({ type: 'approval', requestId: M.regex(ID, 'req-pact-approve'), status: 'approved', timestamp: unixSeconds() }),
    )
    .executeTest(async (m) => {
      await expect(deliver(m.contents.content)).resolves.toMatchObject({ type: 'approval', status: 'approved' });
    });
});

test('a rejection signal with its reason resumes the waiting run', async () => {
  await pact
    .addAsynchronousInteraction()
    .given('request req-pact-reject was rejected')
    .expectsToReceive('a HITL rejection signal', (b) =>
      b.withJSONContent({ type: 'rejection', requestId: M.regex(ID, 'req-pact-reject'), status: 'rejected', reason: M.string('Not enough evidence'), timestamp: unixSeconds() }),
    )
    .executeTest(async (m) => {
      await expect(deliver(m.contents.content)).resolves.toMatchObject({ type: 'rejection', status: 'rejected', reason: 'Not enough evidence' });
    });
});
