// A primary, a replica and three sentinels from Debian's packages, on free loopback ports, each
// in its own temporary folder: what the failover tests need and nothing shared with other suites.
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import Redis from 'ioredis';
import { findOnPath } from '../../src/shared/redis/ensure-redis';
import { eventually } from './eventually';

export const MASTER_NAME = 'failover-test';

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as net.AddressInfo;
      srv.close(() => resolve(port));
    });
  });
}

/** Both executables, or an Error that says how to get them (the test fails with it, never skips). */
export function redisBinaries(): { server: string; sentinel: string } {
  const server = findOnPath('redis-server');
  const sentinel = findOnPath('redis-sentinel');
  if (!server || !sentinel) {
    throw new Error(
      `the failover test needs Debian's redis-server and redis-sentinel (found: redis-server ${server ?? 'missing'}, redis-sentinel ${sentinel ?? 'missing'}). ` +
        'Install them: `apt-get install -y redis-server redis-sentinel` (scripts/ensure-services.sh redis does).',
    );
  }
  return { server, sentinel };
}

interface Proc {
  port: number;
  child: ChildProcess;
  output: string[];
}

export interface SentinelGroup {
  masterName: string;
  sentinels: { host: string; port: number }[];
  /** `REDIS_SENTINELS` for these sentinels. */
  sentinelsEnv: string;
  /** Ports of the two data servers, first the initial primary. */
  dataPorts: [number, number];
  /** The port the sentinels name as master right now. */
  masterPort(): Promise<number>;
  /** A plain connection to one data server (not through Sentinel): the test's own view. */
  direct(port: number): Redis;
  /**
   * Makes everything written so far reach the replica (a write of ours, then WAIT: WAIT only
   * covers the writes the waiting connection made, and a fresh connection made none).
   */
  syncReplica(): Promise<void>;
  /** SENTINEL FAILOVER, then waits until every sentinel names the other server and it answers as master. */
  failover(): Promise<{ from: number; to: number }>;
  /** Last lines of every process, for a failure message. */
  logs(): string;
  stop(): Promise<void>;
}

export async function startSentinelGroup(): Promise<SentinelGroup> {
  const bin = redisBinaries();
  const root = mkdtempSync(path.join(os.tmpdir(), 'dwp-failover-'));
  const procs: Proc[] = [];
  const clients: Redis[] = [];
  const run = (exe: string, args: string[], port: number): Proc => {
    const child = spawn(exe, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    const p: Proc = { port, child, output: [] };
    const keep = (b: Buffer) => {
      for (const l of b.toString('utf8').split('\n')) if (l.trim()) p.output.push(l.trim());
      if (p.output.length > 200) p.output.splice(0, p.output.length - 200);
    };
    child.stdout?.on('data', keep);
    child.stderr?.on('data', keep);
    procs.push(p);
    return p;
  };
  const direct = (port: number): Redis => {
    const r = new Redis({ host: '127.0.0.1', port, lazyConnect: false, maxRetriesPerRequest: 1, retryStrategy: () => 100 });
    r.on('error', () => undefined);
    clients.push(r);
    return r;
  };

  const [p1, p2] = [await freePort(), await freePort()];
  const server = (port: number, extra: string[]) => {
    const dir = path.join(root, `redis-${port}`);
    mkdirSync(dir);
    // No persistence: the replica is what the failover relies on. No diskless-sync delay: the old
    // primary resyncs from the new one at once when Sentinel converts it.
    return run(
      bin.server,
      ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--dir', dir, '--repl-diskless-sync-delay', '0', ...extra],
      port,
    );
  };
  try {
    // min-replicas-to-write on the primary: once its replica has left it (promoted), it refuses
    // writes instead of accepting ones the new primary never gets (Sentinel converts it to a
    // replica only at its next INFO poll, ~10 s later). Not on the replica: promoted, it would
    // refuse every write until the old primary has resynced from it, and one failover is tested.
    server(p1, ['--min-replicas-to-write', '1', '--min-replicas-max-lag', '10']);
    server(p2, ['--replicaof', '127.0.0.1', String(p1)]);
    const c1 = direct(p1);
    await eventually(async () => /slave0:.*state=online/.test(await c1.info('replication')), 'the replica in sync');

    const sentinelPorts = [await freePort(), await freePort(), await freePort()];
    for (const sp of sentinelPorts) {
      const dir = path.join(root, `sentinel-${sp}`);
      mkdirSync(dir);
      const conf = path.join(dir, 'sentinel.conf');
      writeFileSync(
        conf,
        [
          `port ${sp}`,
          'bind 127.0.0.1',
          `dir ${dir}`,
          `sentinel monitor ${MASTER_NAME} 127.0.0.1 ${p1} 2`,
          `sentinel down-after-milliseconds ${MASTER_NAME} 2000`,
          `sentinel failover-timeout ${MASTER_NAME} 10000`,
          `sentinel parallel-syncs ${MASTER_NAME} 1`,
          '',
        ].join('\n'),
      );
      run(bin.sentinel, [conf], sp);
    }
    const sentinelClients = sentinelPorts.map((sp) => direct(sp));
    // A manual failover needs a replica the sentinels know; the quorum needs them to know each other.
    await eventually(async () => {
      for (const s of sentinelClients) {
        const replicas = (await s.call('SENTINEL', 'REPLICAS', MASTER_NAME)) as string[][];
        const others = (await s.call('SENTINEL', 'SENTINELS', MASTER_NAME)) as string[][];
        const online = replicas.some((r) => {
          const flags = r[r.indexOf('flags') + 1];
          return flags === 'slave';
        });
        if (!online || others.length < 2) return false;
      }
      return true;
    }, 'the sentinels to know the replica and each other');

    const masterPort = async (): Promise<number> => {
      const [, port] = (await sentinelClients[0].call('SENTINEL', 'GET-MASTER-ADDR-BY-NAME', MASTER_NAME)) as [string, string];
      return Number(port);
    };
    const byPort = new Map<number, Redis>([
      [p1, c1],
      [p2, direct(p2)],
    ]);
    const group: SentinelGroup = {
      masterName: MASTER_NAME,
      sentinels: sentinelPorts.map((port) => ({ host: '127.0.0.1', port })),
      sentinelsEnv: sentinelPorts.map((p) => `127.0.0.1:${p}`).join(','),
      dataPorts: [p1, p2],
      masterPort,
      direct,
      async syncReplica() {
        const m = byPort.get(await masterPort())!;
        await m.set('failover-test:fence', String(Date.now()));
        const acked = Number(await m.wait(1, 10_000));
        if (acked < 1) throw new Error('the replica did not acknowledge the writes within 10 s');
      },
      async failover() {
        const from = await masterPort();
        const to = from === p1 ? p2 : p1;
        const toConn = byPort.get(to)!;
        await sentinelClients[0].call('SENTINEL', 'FAILOVER', MASTER_NAME);
        await eventually(
          async () => {
            for (const s of sentinelClients) {
              const [, port] = (await s.call('SENTINEL', 'GET-MASTER-ADDR-BY-NAME', MASTER_NAME)) as [string, string];
              if (Number(port) !== to) return false;
            }
            return true;
          },
          'every sentinel to name the new master',
          { timeoutMs: 30_000 },
        );
        await eventually(async () => /role:master/.test(await toConn.info('replication')), 'the new master to answer as master');
        return { from, to };
      },
      logs: () => procs.map((p) => `--- ${path.basename(String(p.child.spawnfile))} :${p.port}\n${p.output.slice(-25).join('\n')}`).join('\n'),
      async stop() {
        for (const c of clients) c.disconnect();
        await Promise.all(procs.map((p) => stopProc(p.child)));
        rmSync(root, { recursive: true, force: true });
      },
    };
    return group;
  } catch (err) {
    const logs = procs.map((p) => `--- :${p.port}\n${p.output.slice(-15).join('\n')}`).join('\n');
    for (const c of clients) c.disconnect();
    await Promise.all(procs.map((p) => stopProc(p.child)));
    rmSync(root, { recursive: true, force: true });
    throw new Error(`${(err as Error).message}\n${logs}`);
  }
}

function stopProc(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const t = setTimeout(() => child.kill('SIGKILL'), 5000);
    child.once('exit', () => {
      clearTimeout(t);
      resolve();
    });
    child.kill('SIGTERM');
  });
}
