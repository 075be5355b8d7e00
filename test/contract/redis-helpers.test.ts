// The generated Redis helpers: names built from parameters (never spelled in src/), payloads
// validated on publish and on receipt, over the real Redis.
import Redis from 'ioredis';
import {
  CHANNELS,
  ContractViolationError,
  REDIS_KEYS,
  WORKBENCH_PATTERN,
  caseActionAddress,
  hitlChannelAddress,
  hitlRequestKey,
  parseHitlChannelMessage,
  parseWorkbenchNotification,
  publishCaseAction,
  publishHitlChannel,
} from '../../generated/redis';
import type { CaseActionNotification } from '../../generated/schemas';
import { testRedisUrl } from '../support/redis';

const caseAction: CaseActionNotification = {
  type: 'NOTIFICATION',
  category: 'CASE_ACTION',
  message: '조치 거절됨',
  timestamp: '2026-11-22T09:00:00.000Z',
  tenant_id: 'acme',
  case_id: 'DEMO00001',
  request_id: 'req-1',
  executor_id: 'approver',
  action_type: 'REJECT',
  approved: false,
  status_code: 'REJECTED',
};

let pub: Redis;
let sub: Redis;
beforeAll(() => {
  pub = new Redis(testRedisUrl());
  sub = new Redis(testRedisUrl());
});
afterAll(async () => {
  pub.disconnect();
  sub.disconnect();
});

test('names come from the spec and refuse glob characters and CR/LF', () => {
  expect(hitlChannelAddress({ sessionId: 'sess-1' })).toBe('hitl:channel:sess-1');
  expect(hitlRequestKey({ requestId: 'req-1' })).toBe('hitl:request:req-1');
  expect(REDIS_KEYS.hitlSignal.ttlSeconds).toBe(300);
  expect(REDIS_KEYS.hitlRequest.ttlSeconds).toBe(1800);
  expect(REDIS_KEYS.hitlSession.ttlSeconds).toBe(3600);
  expect(WORKBENCH_PATTERN).toBe('workbench:*');
  for (const bad of ['*', 'a*', 's?', '[ab]', 'x\r\ny', 'has space', '']) {
    expect(() => hitlChannelAddress({ sessionId: bad })).toThrow(ContractViolationError);
  }
});

test('channel names are configurable by the environment variables asyncapi.yaml names (x-env)', () => {
  expect(caseActionAddress({})).toBe(CHANNELS.caseAction.address);
  expect(caseActionAddress({ CASE_ACTION_REDIS_CHANNEL: 'workbench:custom' })).toBe('workbench:custom');
  expect(CHANNELS.ragStatus.envVar).toBe('WORKBENCH_RAG_STATUS_CHANNEL');
  expect(CHANNELS.alert.envVar).toBe('WORKBENCH_ALERT_CHANNEL');
});

test('publish validates first: an off-contract message never reaches Redis', async () => {
  const counting = { calls: 0, publish: async () => ++counting.calls };
  const ms = { type: 'approval', requestId: 'req-1', status: 'approved', timestamp: Date.now() } as const;
  expect(() => publishHitlChannel(counting, { sessionId: 's-1' }, ms)).toThrow(ContractViolationError);
  const { status_code: _drop, ...noStatus } = caseAction;
  expect(() => publishCaseAction(counting, noStatus as CaseActionNotification)).toThrow(ContractViolationError);
  expect(counting.calls).toBe(0);
});

test('a message published with the helper arrives and parses on the real Redis', async () => {
  const sessionId = `sess-${process.pid}-${Date.now()}`;
  const channel = hitlChannelAddress({ sessionId });
  await sub.subscribe(channel);
  const received = new Promise<string>((resolve) => sub.once('message', (_c, m) => resolve(m)));
  const signal = { type: 'approval', requestId: 'req-1', status: 'approved', timestamp: Math.floor(Date.now() / 1000) } as const;
  expect(await publishHitlChannel(pub, { sessionId }, signal)).toBe(1);
  expect(parseHitlChannelMessage(await received)).toEqual(signal);
  await sub.unsubscribe(channel);
});

test('receivers reject malformed or off-contract payloads and tolerate extra fields', () => {
  expect(() => parseWorkbenchNotification('{not json')).toThrow(ContractViolationError);
  expect(() => parseWorkbenchNotification(JSON.stringify({ ...caseAction, category: 'NOPE' }))).toThrow(ContractViolationError);
  expect(parseWorkbenchNotification(JSON.stringify({ ...caseAction, history_id: 7, later_field: true }))).toMatchObject({ case_id: 'DEMO00001' });
});
