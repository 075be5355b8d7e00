import { type ChildProcess, spawn } from 'node:child_process';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { testRedisUrl } from '../support/redis';
import type { Aura } from './support';
import { JWT_SECRET } from '../support/auth';

export interface ChildAura extends Pick<Aura, 'url'> {
  instanceId: string;
  /** SIGKILL: the process dies on the spot — no handover, no cleanup, leases simply lapse. */
  kill(): Promise<void>;
  /** SIGSTOP / SIGCONT: the process freezes (as in a long GC pause or a stalled VM) and wakes. */
  pause(): void;
  resume(): void;
  /** Resolves with the first log line (its JSON) whose `msg` matches, past or future. */
  logged(msg: RegExp): Promise<Record<string, unknown>>;
}

/** Runs Aura's own entry point (src/aura/main.ts) in a child process on port 0. */
export async function spawnAura(env: Record<string, string>): Promise<ChildAura> {
  const instanceId = `aura-child-${process.pid}-${Math.random().toString(36).slice(2, 8)}`;
  const child: ChildProcess = spawn(process.execPath, ['--import', 'tsx', join(__dirname, '../../src/aura/main.ts')], {
    env: { ...process.env, NODE_OPTIONS: '', AURA_PORT: '0', JWT_SECRET: JWT_SECRET, REDIS_URL: testRedisUrl(), AURA_INSTANCE_ID: instanceId, LOG_LEVEL: 'info', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const exited = new Promise<void>((r) => child.once('exit', () => r()));
  const lines: Record<string, unknown>[] = [];
  const watchers = new Set<(l: Record<string, unknown>) => void>();
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('child Aura did not start within 20 s')), 20_000);
    child.once('exit', (code) => reject(new Error(`child Aura exited with ${code}`)));
    createInterface({ input: child.stdout! }).on('line', (line) => {
      const m = /Server listening at (http:\/\/127\.0\.0\.1:\d+)/.exec(line);
      if (m) {
        clearTimeout(timer);
        resolve(m[1]);
      }
      if (!line.startsWith('{')) return;
      try {
        const l = JSON.parse(line) as Record<string, unknown>;
        lines.push(l);
        for (const w of watchers) w(l);
      } catch {
        /* not a log line */
      }
    });
  });
  return {
    url,
    instanceId,
    kill: async () => {
      child.kill('SIGCONT');
      child.kill('SIGKILL');
      await exited;
    },
    pause: () => void child.kill('SIGSTOP'),
    resume: () => void child.kill('SIGCONT'),
    logged: (msg) =>
      new Promise((resolve) => {
        const hit = lines.find((l) => msg.test(String(l.msg)));
        if (hit) return resolve(hit);
        const w = (l: Record<string, unknown>) => {
          if (!msg.test(String(l.msg))) return;
          watchers.delete(w);
          resolve(l);
        };
        watchers.add(w);
      }),
  };
}
