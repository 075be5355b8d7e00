// GATEWAY_WORKERS: the real entry point (src/gateway/main.ts) started as a child process with
// two workers sharing one port, in front of a real stub upstream.
import { type ChildProcess, spawn } from 'node:child_process';
import net from 'node:net';
import path from 'node:path';
import { authHeaders, JWT_SECRET } from '../support/auth';
import { eventually } from '../support/eventually';
import { type Stub, startStub } from './support';

const MAIN = path.join(__dirname, '../../src/gateway/main.ts');

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = net.createServer();
    s.listen(0, '127.0.0.1', () => {
      const p = (s.address() as net.AddressInfo).port;
      s.close(() => resolve(p));
    });
  });
}

const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

describe('gateway main with GATEWAY_WORKERS', () => {
  let stub: Stub;
  let child: ChildProcess | undefined;
  beforeAll(async () => {
    stub = await startStub();
  });
  afterAll(async () => {
    if (child && child.exitCode === null) child.kill('SIGKILL');
    await stub.close();
  });

  it('forks that many workers on one port, each serving requests; SIGTERM stops them all', async () => {
    const port = await freePort();
    child = spawn(process.execPath, ['--import', 'tsx', MAIN], {
      env: {
        ...process.env,
        NODE_OPTIONS: '',
        JWT_SECRET,
        GATEWAY_PORT: String(port),
        GATEWAY_WORKERS: '2',
        AURA_URL: stub.url,
        MAIN_URL: stub.url,
        AUTH_URL: stub.url,
        LOG_LEVEL: 'info',
        DATABASE_URL: '',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const logs: Record<string, unknown>[] = [];
    let buf = '';
    child.stdout!.on('data', (d: Buffer) => {
      buf += d.toString();
      const lines = buf.split('\n');
      buf = lines.pop()!;
      for (const l of lines) if (l.startsWith('{')) logs.push(JSON.parse(l));
    });
    const listening = () => logs.filter((l) => l.msg === 'gateway listening');
    await eventually(() => listening().length === 2, 'two workers listening');
    const pids = new Set(listening().map((l) => l.pid as number));
    expect(pids.size).toBe(2);
    expect(pids.has(child.pid!)).toBe(false);
    expect(listening().every((l) => l.port === port)).toBe(true);

    // Every answer through the shared port is the relayed upstream one.
    const before = stub.seen.length;
    for (let i = 0; i < 20; i++) {
      const r = await fetch(`http://127.0.0.1:${port}/api/main/cases?i=${i}`, { headers: { ...authHeaders('alice', 't1'), connection: 'close' } });
      expect(r.status).toBe(200);
      expect(((await r.json()) as { data: { url: string } }).data.url).toBe(`/main/cases?i=${i}`);
    }
    expect(stub.seen.length - before).toBe(20);

    // /metrics answers for the whole gateway, whichever worker takes the scrape (on fresh
    // connections the two workers take turns).
    for (let i = 0; i < 4; i++) {
      const r = await fetch(`http://127.0.0.1:${port}/metrics`, { headers: { connection: 'close' } });
      expect(r.status).toBe(200);
      const text = await r.text();
      const m = /^gateway_requests_total\{upstream="main",method="GET",status="200"\} (\d+)$/m.exec(text);
      expect(m?.[1]).toBe('20');
    }

    const exited = new Promise<number | null>((r) => child!.once('exit', (code) => r(code)));
    child.kill('SIGTERM');
    expect(await exited).toBe(0);
    await eventually(() => [...pids].every((p) => !alive(p)), 'workers to exit', { timeoutMs: 5_000 });
  }, 30_000);
});
