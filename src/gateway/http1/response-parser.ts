import { FIELD_VALUE, type Framing, parseResponseHead, ProtocolError, type ResponseHead, TOKEN } from './response-head';

/**
 * A strict, incremental HTTP/1.1 response parser for the gateway's upstream connections.
 *
 * Why not a library: the gateway spent more CPU per proxied request in its HTTP client
 * (undici's dispatcher, or node:http's ClientRequest) than in everything else it does; see
 * `bench/gateway-ab.ts`. The upstreams are our own services, so the parser can be strict:
 * anything outside RFC 9112's grammar (bare LF, obs-fold, a bad Content-Length, conflicting
 * lengths, CTLs in a value) is a protocol error, which the caller answers with 502 and a
 * connection that is never reused. It never guesses where a message ends.
 */

export interface ParserEvents {
  onHead(head: ResponseHead): void;
  /** A slice of the body as received (chunked framing removed); valid until the next call returns. */
  onBody(chunk: Buffer): void;
  /** The message is complete; `reusable` says whether the connection may carry another. */
  onComplete(reusable: boolean): void;
}

export interface ParserOptions {
  /** Status line plus headers (and chunked trailers), in bytes. */
  maxHeadBytes: number;
}

const enum State {
  Head,
  Length,
  ChunkSize,
  ChunkData,
  ChunkDataEnd,
  Trailers,
  UntilClose,
  Done,
}

const CRLF2 = Buffer.from('\r\n\r\n', 'latin1');
const CHUNK_SIZE = /^([0-9A-Fa-f]{1,12})[\t ]*(?:;[\t\x20-\x7e\x80-\xff]*)?$/;
const MAX_CHUNK_LINE = 4096;

/** One parser per connection; `reset` before each request. */
export class ResponseParser {
  private state = State.Head;
  /** Bytes of an incomplete head, size line or trailer section carried between calls. */
  private carry: Buffer | null = null;
  private remaining = 0;
  private reusable = true;
  private noBody = false;
  private trailerBytes = 0;
  /**
   * Chunk data of the current read, as start/end pairs in `spanSource`: handed on as one
   * buffer at the end of the read. An upstream streaming small events sends a chunk per event;
   * a slice (and later a copy) per event was most of the relay's cost per stream.
   */
  private spans: number[] = [];
  private spanSource: Buffer | null = null;
  /** The framing of the current response, as its head says (one object, filled per response). */
  private readonly framing: Framing = { body: 'none', length: 0, reusable: true };

  constructor(
    private readonly events: ParserEvents,
    private readonly options: ParserOptions,
  ) {}

  /** Prepares for the answer to one request; `noBody` for HEAD (its answer has no body). */
  reset(noBody: boolean): void {
    this.state = State.Head;
    this.carry = null;
    this.remaining = 0;
    this.reusable = true;
    this.noBody = noBody;
    this.trailerBytes = 0;
    this.spans.length = 0;
    this.spanSource = null;
  }

  get done(): boolean {
    return this.state === State.Done;
  }

  /** True until the first byte of a response head has been seen. */
  get idle(): boolean {
    return this.state === State.Head && this.carry === null;
  }

  /** Feeds bytes read from the connection. Throws ProtocolError; bytes after the message are one too. */
  execute(data: Buffer): void {
    let pos = 0;
    const len = data.length;
    while (pos < len) {
      switch (this.state) {
        case State.Head:
          pos = this.head(data, pos);
          break;
        case State.Length: {
          const n = Math.min(this.remaining, len - pos);
          this.remaining -= n;
          const chunk = pos === 0 && n === len ? data : data.subarray(pos, pos + n);
          pos += n;
          this.events.onBody(chunk);
          if (this.remaining === 0) this.complete();
          break;
        }
        case State.ChunkSize:
          pos = this.chunkSize(data, pos);
          break;
        case State.ChunkData: {
          const n = Math.min(this.remaining, len - pos);
          this.remaining -= n;
          this.spanSource = data;
          this.spans.push(pos, pos + n);
          pos += n;
          if (this.remaining === 0) {
            this.state = State.ChunkDataEnd;
            this.remaining = 2;
          }
          break;
        }
        case State.ChunkDataEnd: {
          // The CRLF after a chunk's data, possibly split across reads.
          const expected = this.remaining === 2 ? 0x0d : 0x0a;
          if (data[pos] !== expected) throw new ProtocolError('chunk data not followed by CRLF');
          pos++;
          if (--this.remaining === 0) this.state = State.ChunkSize;
          break;
        }
        case State.Trailers:
          pos = this.trailers(data, pos);
          break;
        case State.UntilClose: {
          const chunk = pos === 0 ? data : data.subarray(pos);
          pos = len;
          this.events.onBody(chunk);
          break;
        }
        case State.Done:
          throw new ProtocolError('bytes after the end of the response');
      }
    }
    if (this.spans.length) this.flushSpans();
  }

  private flushSpans(): void {
    const { spans } = this;
    const source = this.spanSource!;
    this.spanSource = null;
    if (spans.length === 2) {
      const chunk = source.subarray(spans[0], spans[1]);
      spans.length = 0;
      this.events.onBody(chunk);
      return;
    }
    let total = 0;
    for (let i = 0; i < spans.length; i += 2) total += spans[i + 1] - spans[i];
    const out = Buffer.allocUnsafe(total);
    let at = 0;
    for (let i = 0; i < spans.length; i += 2) at += source.copy(out, at, spans[i], spans[i + 1]);
    spans.length = 0;
    this.events.onBody(out);
  }

  /**
   * The connection ended (FIN). Completes a body delimited by the close; returns false when
   * the response was cut short (or never started).
   */
  finish(): boolean {
    if (this.state === State.UntilClose) {
      this.complete();
      return true;
    }
    return this.state === State.Done;
  }

  private complete(): void {
    if (this.spans.length) this.flushSpans();
    this.state = State.Done;
    this.carry = null;
    this.events.onComplete(this.reusable);
  }

  /** Takes `data[pos..]` plus any carried bytes; returns where the unread part starts. */
  private gather(data: Buffer, pos: number): Buffer {
    const rest = pos === 0 ? data : data.subarray(pos);
    return this.carry ? Buffer.concat([this.carry, rest]) : rest;
  }

  private head(data: Buffer, pos: number): number {
    const buf = this.gather(data, pos);
    const carried = this.carry ? this.carry.length : 0;
    const end = buf.indexOf(CRLF2);
    const limit = this.options.maxHeadBytes;
    if (end < 0) {
      if (buf.length > limit) throw new ProtocolError('response head too large');
      this.carry = Buffer.from(buf);
      return data.length;
    }
    if (end + 4 > limit) throw new ProtocolError('response head too large');
    this.carry = null;
    const consumed = end + 4 - carried;
    this.parseHead(buf.toString('latin1', 0, end));
    return pos + consumed;
  }

  private parseHead(text: string): void {
    const head = parseResponseHead(text, this.noBody, this.framing);
    // An interim answer (1xx): the real head follows.
    if (!head) return;
    const { framing } = this;
    this.reusable = framing.reusable;
    this.events.onHead(head);
    if (framing.body === 'none') this.complete();
    else {
      this.remaining = framing.length;
      this.state = framing.body === 'length' ? State.Length : framing.body === 'chunked' ? State.ChunkSize : State.UntilClose;
    }
  }

  /** Reads one line ending in CRLF from carry + data; null (and carries) when it is not complete. */
  private line(data: Buffer, pos: number, limit: number): { text: string; next: number } | null {
    const lf = data.indexOf(0x0a, pos);
    if (lf < 0) {
      const size = (this.carry?.length ?? 0) + data.length - pos;
      if (size > limit) throw new ProtocolError('line too long in a chunked body');
      this.carry = this.carry ? Buffer.concat([this.carry, data.subarray(pos)]) : Buffer.from(data.subarray(pos));
      return null;
    }
    const part = data.subarray(pos, lf + 1);
    const whole = this.carry ? Buffer.concat([this.carry, part]) : part;
    this.carry = null;
    if (whole.length > limit) throw new ProtocolError('line too long in a chunked body');
    if (whole.length < 2 || whole[whole.length - 2] !== 0x0d) throw new ProtocolError('bare LF in a chunked body');
    return { text: whole.toString('latin1', 0, whole.length - 2), next: lf + 1 };
  }

  private chunkSize(data: Buffer, pos: number): number {
    if (this.carry === null) {
      const next = this.chunkSizeInPlace(data, pos);
      if (next >= 0) return next;
    }
    const l = this.line(data, pos, MAX_CHUNK_LINE);
    if (!l) return data.length;
    const m = CHUNK_SIZE.exec(l.text);
    if (!m) throw new ProtocolError('malformed chunk size');
    const size = parseInt(m[1], 16);
    if (size === 0) {
      this.state = State.Trailers;
    } else {
      this.remaining = size;
      this.state = State.ChunkData;
    }
    return l.next;
  }

  /**
   * The common case without building a string: a size line (hex digits, optional extension)
   * wholly inside `data`. Returns where the line ends, or -1 to take the general path (line
   * split across reads, or anything unusual, which the general path then judges).
   */
  private chunkSizeInPlace(data: Buffer, pos: number): number {
    const len = data.length;
    let i = pos;
    let size = 0;
    for (; i < len && i - pos < 12; i++) {
      const c = data[i];
      const digit = c >= 0x30 && c <= 0x39 ? c - 0x30 : c >= 0x61 && c <= 0x66 ? c - 0x57 : c >= 0x41 && c <= 0x46 ? c - 0x37 : -1;
      if (digit < 0) break;
      size = size * 16 + digit;
    }
    // Only plain `SIZE CRLF` here; extensions and whitespace go the general way.
    if (i === pos || i + 1 >= len || data[i] !== 0x0d || data[i + 1] !== 0x0a) return -1;
    if (size === 0) this.state = State.Trailers;
    else {
      this.remaining = size;
      this.state = State.ChunkData;
    }
    return i + 2;
  }

  /** Trailer fields are read and dropped (the gateway forwards none); an empty line ends them. */
  private trailers(data: Buffer, pos: number): number {
    const l = this.line(data, pos, this.options.maxHeadBytes);
    if (!l) return data.length;
    this.trailerBytes += l.text.length + 2;
    if (this.trailerBytes > this.options.maxHeadBytes) throw new ProtocolError('trailers too large');
    if (l.text === '') {
      this.complete();
      return l.next;
    }
    const colon = l.text.indexOf(':');
    if (colon <= 0 || !TOKEN.test(l.text.slice(0, colon)) || !FIELD_VALUE.test(l.text.slice(colon + 1))) {
      throw new ProtocolError('malformed trailer');
    }
    return l.next;
  }
}
