import type { ServerResponse } from 'node:http';
import type { ValidateFunction } from 'ajv';
import { SSE_DONE } from '../../../generated/contract';
import { ContractViolationError } from '../../../generated/redis';

export const SSE_HEADERS = {
  'Content-Type': 'text/event-stream; charset=utf-8',
  'Cache-Control': 'no-cache',
  Connection: 'keep-alive',
  'X-Accel-Buffering': 'no',
} as const;

export interface SseOptions {
  /** Comment heartbeat interval while idle; the contract requires ≤ 15 s. */
  heartbeatMs: number;
}

/** Formats one frame; `data` must already be one line of JSON. */
export function formatFrame(event: string, data: string, id?: string): string {
  return `${id !== undefined ? `id: ${id}\n` : ''}event: ${event}\ndata: ${data}\n\n`;
}

/**
 * One SSE response. Every event is validated against its schema before it is written: an
 * off-contract event is a bug caught on the server, never something a client discovers.
 */
export class SseStream<E extends object = Record<string, unknown>> {
  private heartbeat: NodeJS.Timeout | undefined;
  private lastWrite = Date.now();
  private ended = false;
  private readonly closeHandlers: (() => void)[] = [];

  constructor(
    private readonly res: ServerResponse,
    private readonly validators: Readonly<Record<string, ValidateFunction>>,
    private readonly options: SseOptions,
  ) {
    res.on('close', () => {
      this.stopHeartbeat();
      this.ended = true;
      for (const h of this.closeHandlers.splice(0)) h();
    });
  }

  get closed(): boolean {
    return this.ended || this.res.destroyed;
  }

  open(extraHeaders: Record<string, string> = {}): void {
    if (this.res.headersSent) return;
    this.res.writeHead(200, { ...SSE_HEADERS, ...extraHeaders });
    this.res.flushHeaders();
    this.armHeartbeat();
  }

  // One timer, due a full interval after the last write: when it fires and something was written
  // since, it is set again from that write. An idle gap is then never longer than heartbeatMs
  // (checking on a fixed period, as before, let one grow to 1.5 times it after an event), and a
  // busy stream still costs one timer per interval, not one per event.
  private armHeartbeat(): void {
    const due = this.lastWrite + this.options.heartbeatMs - Date.now();
    this.heartbeat = setTimeout(() => {
      if (this.closed) return;
      if (Date.now() - this.lastWrite >= this.options.heartbeatMs) this.comment('ping');
      this.armHeartbeat();
    }, Math.max(0, due));
    this.heartbeat.unref();
  }

  /** Validates and writes one event; returns false if the client is gone. */
  send<K extends keyof E & string>(event: K, data: E[K], id?: string): boolean {
    const v = this.validators[event];
    if (!v) throw new ContractViolationError(`SSE event ${event}`, 'not an event of this stream');
    if (!v(data)) throw new ContractViolationError(`SSE event ${event}`, v.errors);
    return this.writeRaw(formatFrame(event, JSON.stringify(data), id));
  }

  /** Writes an already-validated, already-serialised frame (replay from a stream log). */
  writeRaw(frame: string): boolean {
    if (this.closed) return false;
    this.lastWrite = Date.now();
    this.res.write(frame);
    return true;
  }

  comment(text: string): boolean {
    return this.writeRaw(`: ${text}\n\n`);
  }

  /** Ends the stream with `data: [DONE]`. */
  done(): void {
    if (this.closed) return;
    this.writeRaw(`data: ${SSE_DONE}\n\n`);
    this.end();
  }

  end(): void {
    this.stopHeartbeat();
    if (!this.res.writableEnded) this.res.end();
    this.ended = true;
  }

  onClose(handler: () => void): void {
    if (this.closed) handler();
    else this.closeHandlers.push(handler);
  }

  private stopHeartbeat(): void {
    if (this.heartbeat) clearTimeout(this.heartbeat);
    this.heartbeat = undefined;
  }
}
