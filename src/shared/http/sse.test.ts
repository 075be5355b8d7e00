// Heartbeats measured on the wire: after any write, the next byte leaves no later than one
// interval later. The old fixed-period check let the gap after an event grow to 1.5 intervals,
// which a proxy with an idle timeout between the two cuts.
import http from 'node:http';
import net from 'node:net';
import type { AddressInfo } from 'node:net';
import { SseStream } from './sse';

const HEARTBEAT_MS = 600;
// Timer lateness on a loaded two-core machine; the old code's gaps spread over 600–900 ms.
const LATENESS_MS = 150;
const SAMPLES = 10;

test('no idle gap on the wire is longer than the heartbeat interval, whenever the last event was sent', async () => {
  let stream: SseStream | undefined;
  const server = http.createServer((_req, res) => {
    stream = new SseStream(res, { tick: Object.assign(() => true, { errors: null }) as never }, { heartbeatMs: HEARTBEAT_MS });
    stream.open();
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as AddressInfo;
  const socket = net.connect(port, '127.0.0.1');
  const arrivals: { at: number; text: string }[] = [];
  let waiter: (() => void) | undefined;
  socket.on('data', (b) => {
    arrivals.push({ at: performance.now(), text: b.toString('latin1') });
    waiter?.();
  });
  const next = (pred: (text: string) => boolean) =>
    new Promise<{ at: number; text: string }>((resolve) => {
      const seen = arrivals.length;
      const check = () => {
        const hit = arrivals.slice(seen).find((a) => pred(a.text));
        if (hit) {
          waiter = undefined;
          resolve(hit);
        }
      };
      waiter = check;
    });
  try {
    socket.write(`GET /s HTTP/1.1\r\nHost: x\r\nAccept: text/event-stream\r\n\r\n`);
    const headers = next((t) => t.includes('200 OK'));
    await headers;
    const gaps: number[] = [];
    for (let i = 0; i < SAMPLES; i++) {
      // Each event goes out at a different phase of the interval: some land just after where a
      // fixed-period check would have looked, which is where the old gap was longest.
      await new Promise((r) => setTimeout(r, (i * 137) % HEARTBEAT_MS));
      const sent = next((t) => t.includes('event: tick'));
      stream!.send('tick' as never, { i } as never, `s:${i}`);
      const ev = await sent;
      const ping = await next((t) => t.includes(': ping'));
      gaps.push(ping.at - ev.at);
    }
    expect(Math.max(...gaps)).toBeLessThanOrEqual(HEARTBEAT_MS + LATENESS_MS);
    // And it does not ping early: a heartbeat is owed only after a full idle interval (the
    // client's own event-loop lag can shorten a gap it measures, hence the same allowance).
    expect(Math.min(...gaps)).toBeGreaterThanOrEqual(HEARTBEAT_MS - LATENESS_MS);
  } finally {
    socket.destroy();
    stream?.end();
    await new Promise((r) => server.close(r));
  }
}, 30_000);
