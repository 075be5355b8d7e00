import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Database } from '../db/database';
import type { Logger } from '../logger';

/** A running service, as each `src/<service>/start.ts` returns it. */
export interface Started {
  /** Where the other services and the tests reach it. */
  url: string;
  /** Stops it and whatever it opened itself (idempotent). */
  close(): Promise<void>;
}

/** What every `start<Service>(config, opts)` takes besides its config. */
export interface StartOptions {
  logger?: Logger;
  /** Listen here instead of the config's host (tests: the loopback). */
  host?: string;
  /** A database opened by the caller (the platform shares one); else the config's, opened and closed by the service. */
  database?: Database;
}

/** Where the other services reach a server: its own address, or the loopback when it listens on all. */
export function reachableUrl(server: Server, host: string): string {
  const reachable = host === '0.0.0.0' || host === '::' ? '127.0.0.1' : host.includes(':') ? `[${host}]` : host;
  return `http://${reachable}:${(server.address() as AddressInfo).port}`;
}

/**
 * Listens through `listen`, and answers the running service; when it cannot listen (port taken,
 * bad host), closes what was opened for it first, so a failed start leaves nothing behind.
 * `closers` run once, in order, whoever calls first.
 */
export async function serve(host: string, listen: (host: string) => Promise<Server>, closers: (() => Promise<unknown>)[]): Promise<Started> {
  let done: Promise<void> | undefined;
  const close = () =>
    (done ??= (async () => {
      for (const c of closers) await c();
    })());
  try {
    return { url: reachableUrl(await listen(host), host), close };
  } catch (err) {
    await close();
    throw err;
  }
}
