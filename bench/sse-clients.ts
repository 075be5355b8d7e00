// Holds BENCH_COUNT idle SSE streams open to BENCH_URL (a child of `npm run bench:sse`, so no
// process holds more than ~15,000 sockets). IPC: 'report' → {open, opened, dropped, pings, failed}; 'close' → exit.
import http from 'node:http';

const url = new URL(process.env.BENCH_URL!);
const count = Number(process.env.BENCH_COUNT ?? 1000);
const headers = JSON.parse(process.env.BENCH_HEADERS ?? '{}') as Record<string, string>;
const reqs: http.ClientRequest[] = [];
let opened = 0;
let open = 0;
let dropped = 0;
let failed = 0;
let pings = 0;
let closing = false;

function openOne(): Promise<void> {
  return new Promise((resolve) => {
    const req = http.request({ hostname: url.hostname, port: url.port, path: url.pathname, headers, agent: false });
    reqs.push(req);
    req.on('response', (res) => {
      if (res.statusCode !== 200) {
        failed++;
        res.resume();
        return resolve();
      }
      opened++;
      open++;
      res.setEncoding('utf8');
      res.on('data', (c: string) => {
        for (let i = c.indexOf(': ping'); i !== -1; i = c.indexOf(': ping', i + 1)) pings++;
      });
      res.on('close', () => {
        open--;
        if (!closing) dropped++;
      });
      resolve();
    });
    req.on('error', () => {
      if (!closing) failed++;
      resolve();
    });
    req.end();
  });
}

async function main() {
  // In batches: a burst of 5,000 SYNs would overflow the listen backlog.
  for (let i = 0; i < count; i += 250) {
    await Promise.all(Array.from({ length: Math.min(250, count - i) }, openOne));
  }
  process.send?.({ ready: true, opened, failed });
}

process.on('message', (m: unknown) => {
  if (m === 'report') process.send?.({ report: { open, opened, dropped, failed, pings, rssBytes: process.memoryUsage().rss } });
  if (m === 'close') {
    closing = true;
    for (const r of reqs) r.destroy();
    setTimeout(() => process.exit(0), 200);
  }
});

void main();
