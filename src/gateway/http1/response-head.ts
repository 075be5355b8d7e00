import type { IncomingHttpHeaders } from 'node:http';

// The head of an upstream's HTTP/1.1 response: its status line and header fields, read strictly
// (RFC 9112), and the framing of the body that follows. See response-parser.ts for why strict.

export class ProtocolError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ProtocolError';
  }
}

export interface ResponseHead {
  statusCode: number;
  statusMessage: string;
  /** Lower-cased names; repeated headers joined with ", ", set-cookie kept as a list. */
  headers: IncomingHttpHeaders;
}

/** How the body after a head is delimited (RFC 9112 §6.3), and whether the connection may carry another message. */
export interface Framing {
  body: 'none' | 'length' | 'chunked' | 'close';
  /** The Content-Length (`length` bodies). */
  length: number;
  reusable: boolean;
}

const STATUS_LINE = /^HTTP\/1\.([01]) ([1-9]\d\d)(?: ([\t\x20-\x7e\x80-\xff]*))?$/;
export const TOKEN = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;
// Field values: visible characters, spaces, tabs and obs-text; no CTLs (so no CR, LF or NUL).
export const FIELD_VALUE = /^[\t\x20-\x7e\x80-\xff]*$/;
// eslint-disable-next-line no-control-regex
const HEAD_CTL = /[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]/;
const DIGITS = /^\d{1,15}$/;

/**
 * Parses a response head (the text before its blank line) and judges the framing of its body
 * into `framing` (one object per connection, filled again for each response). Returns null for
 * an interim answer (100 Continue, 103 Early Hints), which precedes the real one. Throws
 * ProtocolError for anything outside the grammar: an answer whose length cannot be trusted
 * must fail as a whole (502), not after its status has reached the client.
 */
export function parseResponseHead(text: string, noBody: boolean, framing: Framing): ResponseHead | null {
  // One scan of the whole head for CTLs other than HTAB, CR and LF; CR and LF are then only
  // allowed as the CRLF between lines (a bare one is left inside a line and refused there).
  if (HEAD_CTL.test(text)) throw new ProtocolError('control character in the response head');
  const lines = text.split('\r\n');
  const m = STATUS_LINE.exec(lines[0]);
  if (!m) throw new ProtocolError('malformed status line');
  const minor = m[1];
  const statusCode = Number(m[2]);
  const headers: IncomingHttpHeaders = {};
  const lengths: string[] = [];
  let te: string | undefined;
  let connection = '';
  for (let i = 1; i < lines.length; i++) {
    const line = lines[i];
    const colon = line.indexOf(':');
    if (colon <= 0) throw new ProtocolError('malformed header line');
    const rawName = line.slice(0, colon);
    if (!TOKEN.test(rawName)) throw new ProtocolError('malformed header name');
    // The value without the optional whitespace around it.
    let a = colon + 1;
    let b = line.length;
    while (a < b && (line.charCodeAt(a) === 0x20 || line.charCodeAt(a) === 0x09)) a++;
    while (b > a && (line.charCodeAt(b - 1) === 0x20 || line.charCodeAt(b - 1) === 0x09)) b--;
    const value = line.slice(a, b);
    if (value.indexOf('\r') >= 0 || value.indexOf('\n') >= 0) throw new ProtocolError('control character in a header value');
    const name = rawName.toLowerCase();
    if (name === 'content-length') lengths.push(value);
    else if (name === 'transfer-encoding') te = te === undefined ? value : `${te}, ${value}`;
    else if (name === 'connection') connection = connection ? `${connection}, ${value}` : value;
    if (name === 'set-cookie') {
      const prior = headers['set-cookie'];
      if (prior) prior.push(value);
      else headers['set-cookie'] = [value];
      continue;
    }
    const prior = headers[name];
    headers[name] = prior === undefined ? value : `${prior as string}, ${value}`;
  }

  // Interim answers precede the real one; no upgrade was asked for.
  if (statusCode < 200) {
    if (statusCode === 101) throw new ProtocolError('unexpected 101 Switching Protocols');
    return null;
  }

  const tokens = connection.toLowerCase().split(',').map((s) => s.trim());
  framing.reusable = minor === '1' ? !tokens.includes('close') : tokens.includes('keep-alive');
  framing.length = 0;
  // RFC 9112 §6.3, in order.
  if (noBody || statusCode === 204 || statusCode === 304) framing.body = 'none';
  else if (te !== undefined) {
    // Only plain chunked: the gateway drops Transfer-Encoding (hop-by-hop), so a body under
    // another coding (gzip, chunked) would reach the client undecoded and unlabelled.
    if (te.trim().toLowerCase() !== 'chunked') throw new ProtocolError(`unsupported transfer coding ${JSON.stringify(te)}`);
    // A length beside a transfer coding is a smuggling attempt or a bug: never reuse.
    if (lengths.length) framing.reusable = false;
    framing.body = 'chunked';
  } else if (lengths.length) {
    const values = lengths.join(',').split(',').map((s) => s.trim());
    const first = values[0];
    if (!DIGITS.test(first) || values.some((v) => v !== first)) throw new ProtocolError('invalid Content-Length');
    framing.length = Number(first);
    framing.body = framing.length === 0 ? 'none' : 'length';
  } else {
    framing.body = 'close';
    framing.reusable = false;
  }
  return { statusCode, statusMessage: m[3] ?? '', headers };
}
