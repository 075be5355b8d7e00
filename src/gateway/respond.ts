import type { OutgoingHttpHeaders, ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import { ERROR_CODES, type ErrorCode } from '../../generated/contract';
import { errorEnvelope } from '../shared/envelope';

const JSON_TYPE = 'application/json; charset=utf-8';

/** Writes a JSON answer; returns the body size. A response already under way is cut instead. */
export function sendJson(res: ServerResponse, status: number, body: unknown, headers: OutgoingHttpHeaders = {}): number {
  if (res.headersSent) {
    res.destroy();
    return 0;
  }
  const text = JSON.stringify(body);
  const size = Buffer.byteLength(text);
  res.writeHead(status, { ...headers, 'content-type': JSON_TYPE, 'content-length': size });
  res.end(text);
  return size;
}

export function sendError(
  res: ServerResponse,
  code: ErrorCode,
  opts: { status?: number; message?: string; data?: unknown; traceId: string; headers?: OutgoingHttpHeaders },
): number {
  const body = errorEnvelope(code, opts.message ?? ERROR_CODES[code].message, opts.data ?? null, opts.traceId);
  return sendJson(res, opts.status ?? ERROR_CODES[code].status, body, opts.headers);
}

const REASONS: Record<number, string> = { 400: 'Bad Request', 408: 'Request Timeout', 431: 'Request Header Fields Too Large' };

/** For errors before a request exists (parser errors, timeouts): a raw envelope, then close. */
export function writeRawError(socket: Socket, status: number, code: ErrorCode, message: string, traceId: string): void {
  const text = JSON.stringify(errorEnvelope(code, message, null, traceId));
  socket.end(
    `HTTP/1.1 ${status} ${REASONS[status] ?? 'Error'}\r\n` +
      `content-type: ${JSON_TYPE}\r\ncontent-length: ${Buffer.byteLength(text)}\r\nconnection: close\r\n\r\n${text}`,
  );
}
