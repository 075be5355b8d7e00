// The fixed JSON endpoint every gateway benchmark target proxies to. Prints `{"port":N}`.
import http from 'node:http';
import type { AddressInfo } from 'node:net';

const body = JSON.stringify({ status: 'SUCCESS', message: 'OK', success: true, timestamp: '2026-01-01T00:00:00.000Z', data: { items: [1, 2, 3], total: 3 } });
const server = http.createServer((req, res) => {
  req.resume();
  res.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) });
  res.end(body);
});
server.keepAliveTimeout = 60_000;
server.listen(0, '127.0.0.1', () => process.stdout.write(`${JSON.stringify({ port: (server.address() as AddressInfo).port })}\n`));
