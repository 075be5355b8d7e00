// The SDK's SSE client against a real server that drops, refuses and misbehaves on cue.
import { HEADERS } from '../../generated/contract';
import { defaultFetch } from '../../generated/sdk/http';
import { openEventStream, StreamHttpError, StreamInterruptedError, type StreamOptions, type StreamStateChange } from '../../generated/sdk/sse';
import { DwpClient, DwpNetworkError, StreamContractError } from '../../generated/sdk';
import { sdkValidation } from '../../generated/sdk/validation';
import { scriptedStream, testServer, type StreamStep, type TestServer } from './server';

type Tick = { tick: { n: number } };

let server: TestServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

/** Runs a scripted stream to its end; fast by default (no real backoff). */
async function run(steps: StreamStep[], options: StreamOptions = {}) {
  const seen: (string | undefined)[] = [];
  server = await testServer(scriptedStream(steps, seen));
  const states: StreamStateChange[] = [];
  const ns: number[] = [];
  let error: unknown;
  try {
    const stream = openEventStream<Tick>(defaultFetch, { url: `${server.url}/s`, method: 'GET', headers: {} }, {
      initialDelayMs: 1,
      random: () => 0,
      ...options,
      onState: (s) => states.push(s),
    });
    for await (const ev of stream) ns.push(ev.data.n);
  } catch (err) {
    error = err;
  }
  return { seen, states, ns, error, reconnecting: states.filter((s) => s.state === 'reconnecting') };
}

const range = (a: number, b: number) => Array.from({ length: b - a + 1 }, (_, i) => a + i);

it('resumes every drop with Last-Event-ID, yields each event once, and survives more drops than maxReconnects when each connection was healthy', async () => {
  const drop = { events: 2, then: 'drop' } as const;
  const r = await run([drop, drop, drop, drop, drop, { events: 2, then: 'done' }], { maxReconnects: 2 });
  expect(r.error).toBeUndefined();
  expect(r.ns).toEqual(range(1, 12));
  expect(r.seen).toEqual([undefined, 's:2', 's:4', 's:6', 's:8', 's:10']);
  // every outage was one attempt long: the count started again after each healthy connection
  expect(r.reconnecting.map((s) => s.attempt)).toEqual([1, 1, 1, 1, 1]);
  expect(r.reconnecting.map((s) => s.lastEventId)).toEqual(['s:2', 's:4', 's:6', 's:8', 's:10']);
});

it('reports connecting, open, reconnecting and closed', async () => {
  const r = await run([{ events: 1, then: 'drop' }, { events: 1, then: 'done' }]);
  expect(r.states.map((s) => s.state)).toEqual(['connecting', 'open', 'reconnecting', 'connecting', 'open', 'closed']);
  expect(r.reconnecting[0]!.error).toBeInstanceOf(DwpNetworkError);
  expect(r.states.at(-1)).toMatchObject({ state: 'closed', lastEventId: 's:2' });
});

it('gives up after maxReconnects consecutive failed attempts', async () => {
  const r = await run([{ events: 1, then: 'drop' }, { events: 0, then: 'end' }], { maxReconnects: 2, healthyAfterMs: 60_000 });
  expect(r.ns).toEqual([1]);
  expect(r.error).toBeInstanceOf(StreamInterruptedError);
  expect((r.error as StreamInterruptedError).attempts).toBe(3);
  expect(r.seen).toEqual([undefined, 's:1', 's:1']);
  expect(r.reconnecting.map((s) => s.attempt)).toEqual([1, 2]);
  expect(r.states.at(-1)).toMatchObject({ state: 'failed', error: r.error });
});

it('retries a 503 during a reconnect like a dropped connection', async () => {
  const unavailable = { status: 503, code: 'E5000' } as const;
  const r = await run([{ events: 1, then: 'drop' }, unavailable, unavailable, { events: 2, then: 'done' }], { maxReconnects: 3 });
  expect(r.error).toBeUndefined();
  expect(r.ns).toEqual([1, 2, 3]);
  expect(r.seen).toEqual([undefined, 's:1', 's:1', 's:1']);
  expect(r.reconnecting.map((s) => [s.attempt, (s.error as StreamHttpError).status])).toEqual([
    [1, undefined],
    [2, 503],
    [3, 503],
  ]);
});

it.each([
  [404, 'E1004'],
  [401, 'E2000'],
  [503, 'E5000'],
] as const)('throws a %s on the first connect at once, with the envelope, its errorCode and traceId', async (status, code) => {
  const r = await run([{ status, code, traceId: 'trace-first' }]);
  expect(r.error).toBeInstanceOf(StreamHttpError);
  expect(r.error).toMatchObject({ status, errorCode: code, traceId: 'trace-first', envelope: { errorCode: code, traceId: 'trace-first' } });
  expect(r.seen).toHaveLength(1);
  expect(r.states.map((s) => s.state)).toEqual(['connecting', 'failed']);
});

it('waits a jittered, doubling, capped delay between consecutive failures', async () => {
  const jitter = [1, 0.5];
  let calls = 0;
  const r = await run([{ events: 1, then: 'drop' }, { events: 0, then: 'end' }], {
    maxReconnects: 4,
    initialDelayMs: 4,
    maxDelayMs: 20,
    healthyAfterMs: 60_000,
    random: () => jitter[calls++ % 2]!,
  });
  // steps 4, 8, 16, 20 (capped), times 1, 0.5, 1, 0.5
  expect(r.reconnecting.map((s) => s.delayMs)).toEqual([4, 4, 16, 10]);
  expect(r.error).toBeInstanceOf(StreamInterruptedError);
});

it("takes the server's retry: as the base delay", async () => {
  const r = await run([{ events: 1, then: 'drop', retryMs: 7 }, { events: 1, then: 'done' }], { random: () => 1, initialDelayMs: 1000 });
  expect(r.reconnecting.map((s) => s.delayMs)).toEqual([7]);
  expect(r.ns).toEqual([1, 2]);
});

it('stops promptly on abort, while reading and while waiting to reconnect', async () => {
  server = await testServer(scriptedStream([{ events: 1, then: 'hold' }]));
  const reading = new AbortController();
  const states: string[] = [];
  const stream = openEventStream<Tick>(defaultFetch, { url: `${server.url}/s`, method: 'GET', headers: {} }, { signal: reading.signal, onState: (s) => states.push(s.state) });
  const first = await stream.next();
  expect(first.value).toMatchObject({ id: 's:1', data: { n: 1 } });
  const closed = new Promise((r) => server!.requests[0]!.socket.once('close', r));
  const next = stream.next();
  reading.abort();
  await expect(next).rejects.toMatchObject({ name: 'AbortError' });
  await closed;
  expect(states.at(-1)).toBe('closed');

  await server.close();
  server = await testServer(scriptedStream([{ events: 1, then: 'drop' }]));
  const waiting = new AbortController();
  const sleeping = openEventStream<Tick>(defaultFetch, { url: `${server.url}/s`, method: 'GET', headers: {} }, {
    signal: waiting.signal,
    initialDelayMs: 60_000,
    random: () => 1,
    onState: (s) => s.state === 'reconnecting' && waiting.abort(),
  });
  await expect((async () => {
    for await (const _ of sleeping) void _;
  })()).rejects.toMatchObject({ name: 'AbortError' });
  expect(server.requests).toHaveLength(1);
}, 5_000);

it('through the client: events are checked only when validation is configured, and a 401 reaches onUnauthorized', async () => {
  server = await testServer(scriptedStream([{ events: 1, then: 'done' }]));
  const plain = new DwpClient({ baseUrl: server.url });
  const seen: unknown[] = [];
  for await (const ev of plain.streamNotifications({})) seen.push(ev.data);
  expect(seen).toEqual([{ n: 1 }]);

  const checked = new DwpClient({ baseUrl: server.url, validation: async () => sdkValidation });
  await expect((async () => {
    for await (const _ of checked.streamNotifications({})) void _;
  })()).rejects.toBeInstanceOf(StreamContractError);

  await server.close();
  server = await testServer(scriptedStream([{ status: 401, code: 'E2002', traceId: 'trace-401' }]));
  const unauthorized: unknown[] = [];
  const client = new DwpClient({ baseUrl: server.url, token: 'expired', tenantId: 'acme', onUnauthorized: (e) => unauthorized.push(e) });
  const err = await (async () => {
    for await (const _ of client.streamNotifications({})) void _;
  })().catch((e: unknown) => e);
  expect(err).toBeInstanceOf(StreamHttpError);
  expect(unauthorized).toEqual([err]);
  expect(server.requests[0]!.headers).toMatchObject({ [HEADERS.AUTHORIZATION.toLowerCase()]: 'Bearer expired', [HEADERS.TENANT_ID.toLowerCase()]: 'acme' });
});
