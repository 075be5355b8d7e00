import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/** A running service, as each `src/<service>/start.ts` returns it. */
export interface Started {
  /** Where the other services and the tests reach it. */
  url: string;
  /** Stops it and whatever it opened itself (idempotent). */
  close(): Promise<void>;
}

/** Where the other services reach a server: its own address, or the loopback when it listens on all. */
export function reachableUrl(server: Server, host: string): string {
  const reachable = host === '0.0.0.0' || host === '::' ? '127.0.0.1' : host.includes(':') ? `[${host}]` : host;
  return `http://${reachable}:${(server.address() as AddressInfo).port}`;
}

/** Runs the closers once, in order, whoever calls first; later calls wait for the same run. */
export function closeOnce(closers: (() => Promise<unknown>)[]): () => Promise<void> {
  let done: Promise<void> | undefined;
  return () =>
    (done ??= (async () => {
      for (const c of closers) await c();
    })());
}
