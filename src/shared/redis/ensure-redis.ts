import { type ChildProcess, spawn } from 'node:child_process';
import { accessSync, constants as fsConstants, mkdirSync } from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { describeRedisTarget, type RedisTarget } from './options';

/** The part of a pino logger this module uses (a pino `Logger` fits). */
export interface RedisLogger {
  info(obj: object, msg?: string): void;
  warn(obj: object, msg?: string): void;
  error(obj: object, msg?: string): void;
}

export interface EnsureRedisOptions {
  /** Where to look for, and start, a local Redis (default 127.0.0.1:6379). */
  host?: string;
  port?: number;
  /** Working directory of a spawned redis-server (default `./data/redis`). */
  dataDir?: string;
  /** The redis-server executable (default: `redis-server` looked up on PATH). */
  redisServerBin?: string;
  /** PING attempts after spawning, and the pause between them (default 50 × 100 ms). */
  pingAttempts?: number;
  pingIntervalMs?: number;
}

export interface EnsuredRedis {
  url: string;
  /**
   * `env`: REDIS_URL was given; `existing`: a local Redis already answered; `spawned`: started by
   * us; `sentinel`: REDIS_SENTINELS names the master (`url` is then only a description).
   */
  source: 'env' | 'existing' | 'spawned' | 'sentinel';
  /** pid of the redis-server we started, if any. */
  pid?: number;
  /** Stops the redis-server we started (no-op otherwise). Safe to call twice. */
  stop(): Promise<void>;
}

export const REDIS_MISSING_MESSAGE =
  'Redis is required and none is available: nothing answers PING on {addr} and redis-server is not installed.\n' +
  'Either install it (Debian/Ubuntu: `apt-get install redis-server`; macOS: `brew install redis`) so the platform ' +
  'can start one itself, or set REDIS_URL to a running Redis (for example REDIS_URL=redis://127.0.0.1:6379).';

const noop = async (): Promise<void> => undefined;

/** Result of a RESP PING on a plain TCP connection (no client library, nothing left open). */
export type PingResult = 'pong' | 'auth-required' | 'unreachable';

export function pingRedis(host: string, port: number, timeoutMs = 500): Promise<PingResult> {
  return new Promise((resolve) => {
    const socket = net.connect({ host, port });
    let buffer = '';
    let settled = false;
    const finish = (r: PingResult): void => {
      if (settled) return;
      settled = true;
      socket.destroy();
      resolve(r);
    };
    socket.setTimeout(timeoutMs, () => finish('unreachable'));
    socket.on('error', () => finish('unreachable'));
    socket.on('close', () => finish('unreachable'));
    socket.on('connect', () => socket.write('*1\r\n$4\r\nPING\r\n'));
    socket.on('data', (chunk) => {
      buffer += chunk.toString('latin1');
      if (!buffer.includes('\r\n')) return;
      if (buffer.startsWith('+PONG')) finish('pong');
      else if (/^-(NOAUTH|WRONGPASS)/.test(buffer)) finish('auth-required');
      else finish('unreachable');
    });
  });
}

/** Full path of an executable on PATH, or undefined. */
export function findOnPath(name: string, envPath = process.env.PATH ?? ''): string | undefined {
  for (const dir of envPath.split(path.delimiter)) {
    if (!dir) continue;
    const candidate = path.join(dir, name);
    try {
      accessSync(candidate, fsConstants.X_OK);
      return candidate;
    } catch {
      // not here
    }
  }
  return undefined;
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

function waitForExit(child: ChildProcess, timeoutMs: number): Promise<boolean> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve(true);
  return new Promise((resolve) => {
    const timer = setTimeout(() => resolve(false), timeoutMs);
    child.once('exit', () => {
      clearTimeout(timer);
      resolve(true);
    });
  });
}

/**
 * Makes sure `npm start` has a Redis: a Sentinel target (REDIS_SENTINELS) or REDIS_URL when
 * given, untouched; else a Redis already answering on
 * 127.0.0.1:6379; else a `redis-server` started as a child process (no persistence, killed on
 * shutdown and when this process exits); else an Error that says how to get one.
 */
export async function ensureRedis(
  target: string | undefined | RedisTarget,
  logger?: RedisLogger,
  opts: EnsureRedisOptions = {},
): Promise<EnsuredRedis> {
  // A Sentinel group is someone's managed deployment: nothing local to probe or start.
  if (typeof target === 'object' && target.sentinels) return { url: describeRedisTarget(target), source: 'sentinel', stop: noop };
  const url = typeof target === 'object' ? target.url : target;
  if (url && url.trim() !== '') return { url: url.trim(), source: 'env', stop: noop };

  const host = opts.host ?? '127.0.0.1';
  const port = opts.port ?? 6379;
  const addr = `${host}:${port}`;
  const localUrl = `redis://${host}:${port}`;

  const probe = await pingRedis(host, port);
  if (probe === 'pong') {
    logger?.info({ url: localUrl }, 'using the Redis already running locally');
    return { url: localUrl, source: 'existing', stop: noop };
  }
  if (probe === 'auth-required') {
    throw new Error(
      `A Redis on ${addr} requires a password. Set REDIS_URL with the credentials, e.g. REDIS_URL=redis://:PASSWORD@${addr}`,
    );
  }

  const bin = opts.redisServerBin ?? findOnPath('redis-server');
  if (!bin) throw new Error(REDIS_MISSING_MESSAGE.replace('{addr}', addr));

  const dataDir = path.resolve(opts.dataDir ?? './data/redis');
  mkdirSync(dataDir, { recursive: true });
  const args = ['--port', String(port), '--bind', host, '--save', '', '--appendonly', 'no', '--dir', dataDir];
  const child = spawn(bin, args, { stdio: ['ignore', 'pipe', 'pipe'] });

  // Keep the server's last lines for an error message; do not flood our logs with its banner.
  const tail: string[] = [];
  const keep = (chunk: Buffer): void => {
    for (const line of chunk.toString('utf8').split('\n')) {
      if (line.trim() === '') continue;
      tail.push(line.trim());
      if (tail.length > 20) tail.shift();
    }
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  let spawnError: Error | undefined;
  child.on('error', (err) => {
    spawnError = err;
  });

  // If this process exits without calling stop(), do not leave the server behind.
  const killOnExit = (): void => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
  };
  process.on('exit', killOnExit);

  let stopping: Promise<void> | undefined;
  const stop = (): Promise<void> =>
    (stopping ??= (async () => {
      process.off('exit', killOnExit);
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill('SIGTERM');
      if (!(await waitForExit(child, 5000))) {
        child.kill('SIGKILL');
        await waitForExit(child, 2000);
      }
      logger?.info({ pid: child.pid }, 'stopped the redis-server started for this process');
    })());

  const attempts = opts.pingAttempts ?? 50;
  const interval = opts.pingIntervalMs ?? 100;
  for (let i = 0; i < attempts; i++) {
    if (spawnError || child.exitCode !== null || child.signalCode !== null) break;
    if ((await pingRedis(host, port)) === 'pong') {
      logger?.info({ url: localUrl, pid: child.pid, dataDir }, 'started a local redis-server (no persistence)');
      return { url: localUrl, source: 'spawned', pid: child.pid, stop };
    }
    await sleep(interval);
  }

  // Exited, failed to spawn, or never answered: clean up and explain.
  const exited = child.exitCode !== null || child.signalCode !== null;
  await stop();
  const why = spawnError
    ? `could not run ${bin}: ${spawnError.message}`
    : exited
      ? `${bin} exited (code ${child.exitCode ?? 'none'}, signal ${child.signalCode ?? 'none'}) before answering PING`
      : `${bin} did not answer PING on ${addr} within ${attempts} attempts`;
  const output = tail.length > 0 ? `\nLast output of redis-server:\n  ${tail.slice(-8).join('\n  ')}` : '';
  throw new Error(`Could not start a local Redis: ${why}.${output}\nSet REDIS_URL to a running Redis instead.`);
}
