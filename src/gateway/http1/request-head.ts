import type { OutgoingHttpHeaders } from 'node:http';

// Framing and connection management are this client's own: the client's versions of these are
// never forwarded. The body was read in full, so `expect: 100-continue` has been dealt with.
const NOT_FORWARDED = new Set(['host', 'connection', 'keep-alive', 'transfer-encoding', 'upgrade', 'expect', 'content-length', 'te', 'trailer']);
const TOKEN = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;
// Visible ASCII only: no space, CR, LF or anything that could end the request line early.
const TARGET = /^\/[\x21-\x7e]*$/;
const BAD_VALUE = /[\0\r\n]/;

export class RequestHeadError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'RequestHeadError';
  }
}

/**
 * Serialises an HTTP/1.1 request head. Everything that reaches it has passed Node's parser
 * and the gateway's header checks already; it still refuses, rather than writes, anything
 * that could split the request on the wire (a CR/LF in a value, a space in the target).
 */
export function requestHead(method: string, target: string, host: string, headers: OutgoingHttpHeaders, bodyLength: number): string {
  if (!TOKEN.test(method)) throw new RequestHeadError('invalid method');
  if (!TARGET.test(target)) throw new RequestHeadError('invalid request target');
  let head = `${method} ${target} HTTP/1.1\r\nhost: ${host}\r\n`;
  for (const name in headers) {
    const value = headers[name];
    if (value === undefined || NOT_FORWARDED.has(name)) continue;
    if (!TOKEN.test(name)) throw new RequestHeadError(`invalid header name ${JSON.stringify(name)}`);
    if (Array.isArray(value)) {
      for (const v of value) head += field(name, v);
    } else head += field(name, String(value));
  }
  if (bodyLength > 0 || (bodyLength === 0 && BODY_METHODS.has(method))) head += `content-length: ${bodyLength}\r\n`;
  return `${head}\r\n`;
}

// An empty body is still announced for these, as clients and node:http do.
const BODY_METHODS = new Set(['POST', 'PUT', 'PATCH']);

function field(name: string, value: string): string {
  if (BAD_VALUE.test(value)) throw new RequestHeadError(`invalid value for header ${name}`);
  return `${name}: ${value}\r\n`;
}
