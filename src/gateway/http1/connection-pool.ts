import net, { type Socket } from 'node:net';
import { ProtocolError, type ResponseHead } from './response-head';
import { type ParserEvents, ResponseParser } from './response-parser';

/**
 * Why a connection failed its exchange:
 * - `refused`: it never connected (refused, unreachable): no byte reached the upstream;
 * - `connect-timeout`: it did not connect within the connect limit (nothing sent either);
 * - `timeout`: connected, then silent past the idle limit;
 * - `closed`: closed or reset by the upstream before the answer was complete;
 * - `protocol`: the upstream's bytes were not a valid HTTP/1.1 response.
 */
export type ConnectionFailure = 'refused' | 'connect-timeout' | 'timeout' | 'closed' | 'protocol';

/** The request a connection is carrying; exactly one of onComplete/onError ends it. */
export interface Exchange {
  onHead(head: ResponseHead): void;
  onBody(chunk: Buffer): void;
  onComplete(): void;
  /** `responded`: some of the answer had arrived (so it must not be sent again). */
  onError(kind: ConnectionFailure, err: Error, responded: boolean): void;
}

export interface ConnectionOptions {
  connectTimeoutMs: number;
  /** Silence limit while a request is out: for the headers and between body bytes. */
  idleTimeoutMs: number;
  maxHeadBytes: number;
}

// Returned to the pool only while the upstream's keep-alive window has this much left: a
// connection it is about to close would otherwise be picked up just as it closes.
const KEEP_ALIVE_MARGIN_MS = 1000;
const KEEP_ALIVE_TIMEOUT = /(?:^|[,;\s])timeout=(\d+)/i;

/** One keep-alive TCP connection to an upstream instance, carrying one request at a time. */
export class Connection implements ParserEvents {
  readonly socket: Socket;
  private readonly parser: ResponseParser;
  private exchange: Exchange | null = null;
  private connected = false;
  private reusable = false;
  private complete = false;
  private lastError: (Error & { code?: string }) | null = null;
  /** Requests sent before the current one. */
  uses = 0;
  /** When the upstream's keep-alive hint says it may close this connection. */
  expiresAt = Infinity;

  constructor(
    private readonly pool: ConnectionPool,
    host: string,
    port: number,
  ) {
    const { options } = pool;
    this.parser = new ResponseParser(this, { maxHeadBytes: options.maxHeadBytes });
    const socket = net.connect({ host, port, noDelay: true });
    this.socket = socket;
    socket.setTimeout(options.connectTimeoutMs);
    // Listeners once per connection, not per request.
    socket.on('connect', () => {
      this.connected = true;
      socket.setTimeout(options.idleTimeoutMs);
    });
    socket.on('data', (d: Buffer) => this.onData(d));
    socket.on('end', () => this.onEnd());
    socket.on('timeout', () => this.onTimeout());
    socket.on('error', (err: Error) => {
      this.lastError = err;
    });
    socket.on('close', () => this.onClose());
  }

  /** Sends one request; the answer goes to `exchange`. */
  send(exchange: Exchange, head: string, body: Buffer | null, noBody: boolean): void {
    this.exchange = exchange;
    this.complete = false;
    this.parser.reset(noBody);
    const { socket } = this;
    if (body && body.length) {
      socket.cork();
      socket.write(head, 'latin1');
      socket.write(body);
      socket.uncork();
    } else socket.write(head, 'latin1');
  }

  /** Whether an idle connection may carry another request now. */
  usable(now: number): boolean {
    return !this.socket.destroyed && this.socket.writable && now < this.expiresAt;
  }

  pause(): void {
    this.socket.pause();
  }

  resume(): void {
    this.socket.resume();
  }

  /**
   * Drops the connection and the exchange without telling the exchange (its owner asked).
   * Only while that exchange is still the one carried: once answered, the connection may be
   * serving someone else.
   */
  abort(exchange: Exchange): void {
    if (this.exchange !== exchange) return;
    this.exchange = null;
    this.socket.destroy();
  }

  destroy(): void {
    this.socket.destroy();
  }

  // ParserEvents
  onHead(head: ResponseHead): void {
    const hint = head.headers['keep-alive'];
    if (hint) {
      const m = KEEP_ALIVE_TIMEOUT.exec(hint as string);
      if (m) this.expiresAt = Date.now() + Number(m[1]) * 1000 - KEEP_ALIVE_MARGIN_MS;
    }
    this.exchange?.onHead(head);
  }

  onBody(chunk: Buffer): void {
    this.exchange?.onBody(chunk);
  }

  onComplete(reusable: boolean): void {
    this.complete = true;
    this.reusable = reusable;
  }

  private onData(data: Buffer): void {
    if (!this.exchange) {
      // Nothing was asked: bytes on an idle connection mean it cannot be trusted.
      this.socket.destroy();
      return;
    }
    try {
      this.parser.execute(data);
    } catch (caught) {
      // Not only ProtocolError: whatever the exchange's handlers threw on these bytes ends the
      // exchange as broken rather than the process.
      const err = caught instanceof Error ? caught : new ProtocolError(String(caught));
      if (this.complete) {
        // A complete answer followed by stray bytes: the answer stands, the connection goes.
        this.reusable = false;
        this.finishExchange();
        return;
      }
      return this.fail('protocol', err);
    }
    if (this.complete) this.finishExchange();
  }

  private finishExchange(): void {
    const exchange = this.exchange;
    this.exchange = null;
    this.uses++;
    // The whole request must have left too, or the connection's framing is not known.
    const reuse = this.reusable && this.socket.writableLength === 0 && !this.socket.destroyed;
    if (!reuse) this.socket.destroy();
    exchange?.onComplete();
    if (reuse) {
      if (this.socket.isPaused()) this.socket.resume();
      this.pool.release(this);
    }
  }

  private onEnd(): void {
    // A body delimited by the connection's close ends here; anything else was cut short.
    if (this.exchange && this.parser.finish()) {
      this.reusable = false;
      this.finishExchange();
    }
  }

  private onTimeout(): void {
    if (!this.connected) return this.fail('connect-timeout', new Error('connect timeout'));
    if (this.exchange) return this.fail('timeout', new Error('upstream idle timeout'));
    this.socket.destroy();
  }

  private onClose(): void {
    this.pool.forget(this);
    if (!this.exchange) return;
    if (!this.connected) return this.fail('refused', this.lastError ?? new Error('connection failed'));
    this.fail('closed', this.lastError ?? new Error('upstream closed the connection'));
  }

  private fail(kind: ConnectionFailure, err: Error): void {
    const exchange = this.exchange;
    this.exchange = null;
    const responded = !this.parser.idle;
    this.socket.destroy();
    exchange?.onError(kind, err, responded);
  }
}

/**
 * Keep-alive connections to one upstream instance. Unbounded: every open SSE stream holds
 * one, and queueing a request behind a stream would stall it. Idle connections are reused
 * most-recently-used first, so a burst's extra connections age out at the upstream's
 * keep-alive limit instead of being kept warm.
 */
export class ConnectionPool {
  private readonly idle: Connection[] = [];
  private readonly all = new Set<Connection>();
  private closed = false;

  constructor(
    readonly host: string,
    readonly port: number,
    readonly options: ConnectionOptions,
  ) {}

  /** An idle connection, or a new one (connecting; a request written now is sent once it connects). */
  acquire(): Connection {
    const now = Date.now();
    let c: Connection | undefined;
    while ((c = this.idle.pop())) {
      if (c.usable(now)) return c;
      c.destroy();
    }
    c = new Connection(this, this.host, this.port);
    this.all.add(c);
    if (this.closed) c.destroy();
    return c;
  }

  release(c: Connection): void {
    if (this.closed) return c.destroy();
    this.idle.push(c);
  }

  /** The connection closed. */
  forget(c: Connection): void {
    this.all.delete(c);
    const i = this.idle.lastIndexOf(c);
    if (i >= 0) this.idle.splice(i, 1);
  }

  /** Open connections, in use or idle. */
  get size(): number {
    return this.all.size;
  }

  destroy(): void {
    this.closed = true;
    for (const c of this.all) c.destroy();
  }
}
