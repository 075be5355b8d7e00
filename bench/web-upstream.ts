// The Aura stand-in behind the real gateway for `bench:web`: `GET /aura/streams/{streamId}`
// answered the way Aura answers a join (text/event-stream, `id: {streamId}:{seq}`, a `start`,
// thoughts, an `end`, then `[DONE]`), with the run's shape named in the stream id so the bench
// needs no side channel: `bench.{thoughts}.{intervalMs}.{nonce}`; interval 0 writes as fast as
// the socket takes them. A separate process, so the browser's and the gateway's CPU do not
// shift its pacing. Prints `{"port":N}` when listening.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { performance } from 'node:perf_hooks';
import type { ValidateFunction } from 'ajv';
import { SSE_DONE } from '../generated/contract';
import * as schemas from '../generated/validators/schemas';
import { formatFrame, SSE_HEADERS } from '../src/shared/http/sse';

const THOUGHT_TYPES = ['analysis', 'planning', 'reasoning', 'decision', 'reflection'] as const;
const VENDORS = ['V-10023', 'V-20411', 'V-31007', 'V-48820'];

function checked(v: ValidateFunction, what: string, data: object): string {
  if (!v(data)) throw new Error(`bench upstream: ${what} is off-contract: ${JSON.stringify(v.errors)}`);
  return JSON.stringify(data);
}

/** Every frame of one run, serialised up front so writing them costs only the socket. */
function framesOf(streamId: string, thoughts: number): string[] {
  const ts = Math.floor(Date.now() / 1000);
  const out: string[] = [];
  let seq = 0;
  const id = () => `${streamId}:${++seq}`;
  out.push(formatFrame('start', checked(schemas.StartEvent, 'start', { type: 'start', version: '1.0', timestamp: ts, message: 'Analysing the case', streamId }), id()));
  for (let i = 0; i < thoughts; i++) {
    // Lengths and sources vary the way an agent's do, so rendering is not one cached shape.
    const vendor = VENDORS[i % VENDORS.length];
    const content =
      `Step ${i + 1}: compared invoice line ${(i % 7) + 1} of ${vendor} with the purchase order; ` +
      'amount, currency and posting date agree'.slice(0, 20 + ((i * 37) % 40)) +
      (i % 5 === 0 ? ', but the payment terms differ from the vendor master and need a second look.' : '.');
    const sources = i % 3 === 0 ? [`bseg/${vendor}/${i}`, 'lfa1'] : i % 3 === 1 ? ['ekpo'] : [];
    out.push(formatFrame('thought', checked(schemas.ThoughtEvent, 'thought', { type: 'thought', version: '1.0', timestamp: ts, thoughtType: THOUGHT_TYPES[i % THOUGHT_TYPES.length], content, sources }), id()));
  }
  out.push(formatFrame('end', checked(schemas.EndEvent, 'end', { type: 'end', version: '1.0', timestamp: ts, message: 'Analysis complete', status: 'completed' }), id()));
  out.push(`data: ${SSE_DONE}\n\n`);
  return out;
}

const PATH = /^\/aura\/streams\/(bench\.(\d+)\.(\d+)\.[A-Za-z0-9_-]+)$/;

const server = http.createServer((req, res) => {
  const m = req.method === 'GET' ? PATH.exec(req.url ?? '') : null;
  if (!m) {
    res.writeHead(404, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ error: 'not a bench stream' }));
    return;
  }
  const [, streamId, n, every] = m;
  const frames = framesOf(streamId, Number(n));
  const intervalMs = Number(every);
  res.writeHead(200, SSE_HEADERS);
  res.flushHeaders();
  let next = 0;
  let gone = false;
  res.on('close', () => (gone = true));

  if (intervalMs === 0) {
    const pump = () => {
      while (!gone && next < frames.length) {
        if (!res.write(frames[next++])) return void res.once('drain', pump);
      }
      if (!gone) res.end();
    };
    return pump();
  }

  // Each frame is due at t0 + k·interval: a late timer catches up instead of drifting.
  const t0 = performance.now();
  const tick = () => {
    if (gone) return;
    const due = Math.floor((performance.now() - t0) / intervalMs) + 1;
    while (next < frames.length && next < due) res.write(frames[next++]);
    if (next >= frames.length) return void res.end();
    setTimeout(tick, Math.max(0, t0 + next * intervalMs - performance.now()));
  };
  tick();
});

server.listen(0, '127.0.0.1', () => {
  process.stdout.write(`${JSON.stringify({ port: (server.address() as AddressInfo).port })}\n`);
});
process.on('disconnect', () => process.exit(0));
