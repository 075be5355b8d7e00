import { ConnectionPool } from './http1/connection-pool';

export interface Instance {
  url: URL;
  /** host:port, sent as Host. */
  host: string;
  /** Keep-alive connections to this instance. */
  connections: ConnectionPool;
  /** Skipped until this time after a refused connection (passive health). */
  downUntil: number;
}

export interface PoolTimeouts {
  /** TCP connect limit. */
  connectTimeoutMs: number;
  /** Upstream silence limit: waiting for the headers, and between bytes of the body. */
  idleTimeoutMs: number;
  /** Largest response head (status line and headers) accepted from an upstream. */
  maxResponseHeadBytes?: number;
}

const DEFAULT_MAX_RESPONSE_HEAD = 64 * 1024;

/**
 * Round-robin over an upstream's instances with passive health: an instance that refused a
 * connection is skipped for a while; when every instance is marked down they are all tried
 * anyway (better a refused attempt than refusing without trying).
 */
export class UpstreamPool {
  readonly instances: Instance[];
  private next = 0;

  constructor(
    readonly name: string,
    urls: readonly string[],
    private readonly retryAfterMs: number,
    private readonly now: () => number = Date.now,
    timeouts: PoolTimeouts = { connectTimeoutMs: 10_000, idleTimeoutMs: 300_000 },
  ) {
    if (urls.length === 0) throw new Error(`upstream ${name} has no instances`);
    this.instances = urls.map((u) => {
      const url = new URL(u);
      if (url.protocol !== 'http:') throw new Error(`upstream ${name}: only http:// is supported, got ${u}`);
      const connections = new ConnectionPool(url.hostname.replace(/^\[|\]$/g, ''), Number(url.port || 80), {
        connectTimeoutMs: timeouts.connectTimeoutMs,
        idleTimeoutMs: timeouts.idleTimeoutMs,
        maxHeadBytes: timeouts.maxResponseHeadBytes ?? DEFAULT_MAX_RESPONSE_HEAD,
      });
      return { url, host: url.host, connections, downUntil: 0 };
    });
  }

  /** Instances in the order to try for one request: healthy ones first, round-robin. */
  order(): Instance[] {
    const n = this.instances.length;
    const start = this.next;
    this.next = (this.next + 1) % n;
    if (n === 1) return this.instances;
    const t = this.now();
    const up: Instance[] = [];
    const down: Instance[] = [];
    for (let i = 0; i < n; i++) {
      const inst = this.instances[(start + i) % n];
      (inst.downUntil > t ? down : up).push(inst);
    }
    return up.concat(down);
  }

  markDown(inst: Instance): void {
    inst.downUntil = this.now() + this.retryAfterMs;
  }

  markUp(inst: Instance): void {
    inst.downUntil = 0;
  }

  destroy(): void {
    for (const i of this.instances) i.connections.destroy();
  }
}
