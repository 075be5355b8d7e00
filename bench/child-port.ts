import type { ChildProcess } from 'node:child_process';

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
