// A minimal reverse proxy on node:http with none of the gateway's work (no filters, JWT,
// trace ids, metrics, history): the floor of CPU per request for any gateway built on
// node:http, for `bench/gateway-ab.ts`. Proxies /api/<rest> to the first MAIN_URL instance.
import http from 'node:http';

const up = new URL((process.env.MAIN_URL ?? 'http://127.0.0.1:1').split(',')[0]);
const agent = new http.Agent({ keepAlive: true, maxSockets: Infinity, maxFreeSockets: 256, scheduling: 'lifo' });
const server = http.createServer({ noDelay: true }, (req, res) => {
  if (req.url === '/health') {
    res.end('ok');
    return;
  }
  const headers = { ...req.headers, host: up.host };
  const u = http.request({ agent, hostname: up.hostname, port: up.port, method: req.method, path: (req.url ?? '/').slice(4), headers }, (ur) => {
    res.writeHead(ur.statusCode ?? 502, ur.headers);
    ur.pipe(res);
  });
  u.on('error', () => res.destroy());
  req.pipe(u);
});
server.listen(Number(process.env.GATEWAY_PORT ?? 0), '127.0.0.1');
