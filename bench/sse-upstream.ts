// SSE upstream for `npm run bench:sse`. Prints `{"port":N}`.
//   /aura/streams/burst?n=N        N small events as fast as the reader takes them, then [DONE]
//   /aura/streams/tick?n=N&every=M one event every M ms carrying its send time (epoch ms, fractional)
//   /aura/streams/idle             only heartbeats (`: ping`), every BENCH_HEARTBEAT_MS, until closed
import http, { type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { performance } from 'node:perf_hooks';

const HEARTBEAT_MS = Number(process.env.BENCH_HEARTBEAT_MS ?? 5000);
const idle = new Set<ServerResponse>();
const now = () => performance.timeOrigin + performance.now();

setInterval(() => {
  for (const res of idle) res.write(': ping\n\n');
}, HEARTBEAT_MS).unref();

const server = http.createServer((req, res) => {
  const url = new URL(req.url ?? '/', 'http://x');
  res.writeHead(200, { 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-cache', connection: 'keep-alive' });
  res.flushHeaders();
  const kind = url.pathname.split('/').pop();
  if (kind === 'burst') {
    const n = Number(url.searchParams.get('n') ?? 1000);
    let i = 0;
    const pump = () => {
      while (i < n) {
        i++;
        if (!res.write(`id: b:${i}\nevent: content\ndata: {"content":"x","i":${i}}\n\n`)) return void res.once('drain', pump);
      }
      res.end('data: [DONE]\n\n');
    };
    pump();
  } else if (kind === 'tick') {
    const n = Number(url.searchParams.get('n') ?? 100);
    const every = Number(url.searchParams.get('every') ?? 5);
    let i = 0;
    const t = setInterval(() => {
      i++;
      res.write(`id: t:${i}\nevent: content\ndata: {"t":${now()}}\n\n`);
      if (i >= n) {
        clearInterval(t);
        res.end('data: [DONE]\n\n');
      }
    }, every);
    res.on('close', () => clearInterval(t));
  } else {
    idle.add(res);
    res.on('close', () => idle.delete(res));
  }
});
server.maxConnections = 15_000;
server.listen(0, '127.0.0.1', 2048, () => process.stdout.write(`${JSON.stringify({ port: (server.address() as AddressInfo).port })}\n`));
