import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import Redis from 'ioredis';
import pino from 'pino';
import { testRedisUrl } from '../../../test/support/redis';
import { ensureRedis, findOnPath, pingRedis } from './ensure-redis';

const logger = pino({ level: 'silent' });

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as net.AddressInfo;
      srv.close(() => resolve(port));
    });
  });
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

describe('ensureRedis', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'dwp-redis-'));
  });
  afterAll(() => {
    rmSync(dir, { recursive: true, force: true });
  });

  it('returns REDIS_URL unchanged when it is given, without probing anything', async () => {
    const r = await ensureRedis('redis://redis.internal:6380/2', logger, { redisServerBin: '/nonexistent' });
    expect(r).toMatchObject({ url: 'redis://redis.internal:6380/2', source: 'env' });
    await r.stop();
  });

  it('leaves a Sentinel setup alone: nothing probed, nothing started', async () => {
    const r = await ensureRedis({ url: 'redis://127.0.0.1:1', sentinels: [{ host: '10.0.0.9', port: 26379 }], masterName: 'dwp' }, logger, {
      redisServerBin: '/nonexistent',
    });
    expect(r).toMatchObject({ url: 'sentinel 10.0.0.9:26379 master dwp', source: 'sentinel' });
    expect(r.pid).toBeUndefined();
    await r.stop();
  });

  it('uses a Redis that already answers PING locally', async () => {
    const u = new URL(testRedisUrl());
    const r = await ensureRedis(undefined, logger, { host: u.hostname, port: Number(u.port || 6379), redisServerBin: '/nonexistent' });
    expect(r).toMatchObject({ url: `redis://${u.hostname}:${u.port || 6379}`, source: 'existing' });
    expect(r.pid).toBeUndefined();
    await r.stop(); // must not stop a server we did not start
    expect(await pingRedis(u.hostname, Number(u.port || 6379))).toBe('pong');
  });

  it('starts redis-server without persistence when nothing answers, and stops it', async () => {
    expect(findOnPath('redis-server')).toBeDefined(); // the test machine has it (see .ci/run)
    const port = await freePort();
    const r = await ensureRedis(undefined, logger, { port, dataDir: path.join(dir, 'spawned') });
    try {
      expect(r).toMatchObject({ url: `redis://127.0.0.1:${port}`, source: 'spawned' });
      expect(r.pid).toEqual(expect.any(Number));
      const client = new Redis(r.url, { maxRetriesPerRequest: 1 });
      try {
        await client.set('ensure-redis:k', 'v');
        expect(await client.get('ensure-redis:k')).toBe('v');
        expect(await client.config('GET', 'save')).toEqual(['save', '']);
        expect(await client.config('GET', 'appendonly')).toEqual(['appendonly', 'no']);
        expect(await client.config('GET', 'dir')).toEqual(['dir', path.join(dir, 'spawned')]);
      } finally {
        client.disconnect();
      }
    } finally {
      await r.stop();
    }
    expect(isAlive(r.pid!)).toBe(false);
    expect(await pingRedis('127.0.0.1', port)).toBe('unreachable');
    await r.stop(); // idempotent
  });

  it('says how to get Redis when none answers and redis-server is not installed', async () => {
    const savedPath = process.env.PATH;
    process.env.PATH = path.join(dir, 'empty-bin');
    try {
      const port = await freePort();
      const err = await ensureRedis(undefined, logger, { port }).then(
        () => undefined,
        (e: unknown) => e as Error,
      );
      expect(err?.message).toContain(`nothing answers PING on 127.0.0.1:${port}`);
      expect(err?.message).toContain('apt-get install redis-server');
      expect(err?.message).toContain('REDIS_URL');
    } finally {
      process.env.PATH = savedPath;
    }
  });

  it('reports a redis-server that exits or cannot run instead of waiting forever', async () => {
    const port = await freePort();
    await expect(ensureRedis(undefined, logger, { port, redisServerBin: '/bin/false', dataDir: dir })).rejects.toThrow(
      /\/bin\/false exited \(code 1, signal none\) before answering PING[\s\S]*REDIS_URL/,
    );
    await expect(ensureRedis(undefined, logger, { port, redisServerBin: path.join(dir, 'no-such-redis'), dataDir: dir })).rejects.toThrow(
      /could not run .*no-such-redis: .*ENOENT/,
    );
    // something that runs but never answers: bounded attempts, then the child is killed
    const silentServer = path.join(dir, 'silent-server.sh');
    writeFileSync(silentServer, '#!/bin/sh\nexec sleep 30\n', { mode: 0o755 });
    const started = Date.now();
    await expect(
      ensureRedis(undefined, logger, { port, redisServerBin: silentServer, dataDir: dir, pingAttempts: 5, pingIntervalMs: 20 }),
    ).rejects.toThrow(/did not answer PING on 127\.0\.0\.1:\d+ within 5 attempts/);
    expect(Date.now() - started).toBeLessThan(5000);
  });

  it('asks for REDIS_URL credentials when the local Redis requires a password', async () => {
    const port = await freePort();
    const child = spawn(
      findOnPath('redis-server')!,
      ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--requirepass', 'secret', '--dir', dir],
      { stdio: 'ignore' },
    );
    try {
      for (let i = 0; i < 50 && (await pingRedis('127.0.0.1', port)) === 'unreachable'; i++) {
        await new Promise((r) => setTimeout(r, 50));
      }
      expect(await pingRedis('127.0.0.1', port)).toBe('auth-required');
      await expect(ensureRedis(undefined, logger, { port })).rejects.toThrow(/requires a password\. Set REDIS_URL/);
    } finally {
      child.kill('SIGTERM');
      await new Promise((r) => child.once('exit', r));
    }
  });
});
