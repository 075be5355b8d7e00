// What the benchmark scripts share: child processes that print their port, free ports, process
// CPU from /proc, medians.
import type { ChildProcess } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import net from 'node:net';

/** Resolves with the port a bench child prints as `{"port":N}` on stdout; rejects if it exits first. */
export function portFromChild(child: ChildProcess, what: string): Promise<number> {
  return new Promise((resolve, reject) => {
    let buf = '';
    child.stdout!.on('data', (d: Buffer) => {
      buf += d.toString();
      const m = /\{"port":(\d+)\}/.exec(buf);
      if (m) resolve(Number(m[1]));
    });
    child.once('exit', (code) => reject(new Error(`${what} exited with ${code}`)));
  });
}

/** A port free right now on 127.0.0.1 (for programs that must be told theirs). */
export function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = net.createServer();
    s.listen(0, '127.0.0.1', () => {
      const p = (s.address() as net.AddressInfo).port;
      s.close(() => resolve(p));
    });
  });
}

export const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

interface ProcStat {
  pid: number;
  name: string;
  ppid: number;
  /** CPU seconds in user and system mode (clock ticks of 10 ms). */
  user: number;
  sys: number;
}

function procStat(pid: number | string): ProcStat | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const name = stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
    // Fields after the command name: state is [0], ppid [1], utime [11], stime [12].
    const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return { pid: Number(pid), name, ppid: Number(f[1]), user: Number(f[11]) / 100, sys: Number(f[12]) / 100 };
  } catch {
    return null; // gone
  }
}

function allProcs(): ProcStat[] {
  return readdirSync('/proc')
    .filter((d) => /^\d+$/.test(d))
    .map(procStat)
    .filter((p): p is ProcStat => p !== null);
}

/** Child processes of pid (cluster workers, nginx workers). */
export function descendants(pid: number): number[] {
  return allProcs()
    .filter((p) => p.ppid === pid)
    .map((p) => p.pid);
}

/** User and system CPU seconds of pid, with its children when asked. */
export function cpuOf(pid: number, withChildren = false): { user: number; sys: number } {
  const pids = withChildren ? [pid, ...descendants(pid)] : [pid];
  let user = 0;
  let sys = 0;
  for (const p of pids) {
    const s = procStat(p);
    if (s) {
      user += s.user;
      sys += s.sys;
    }
  }
  return { user, sys };
}

/** User + system CPU seconds of every process with this command name (e.g. `postgres`). */
export function cpuOfNamed(name: string): number {
  return allProcs()
    .filter((p) => p.name === name)
    .reduce((s, p) => s + p.user + p.sys, 0);
}
