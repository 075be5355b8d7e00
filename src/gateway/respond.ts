import type { OutgoingHttpHeaders, ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import { ERROR_CODES, type ErrorCode } from '../../generated/contract';
import { errorEnvelope } from '../shared/envelope';
import { newId } from '../shared/ids';

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

/**
 * Node's `clientError`: a request its parser refused (oversized or malformed headers, CR/LF,
 * timeouts), which never reached the gateway. It gets the envelope when the socket can take it,
 * then the connection closes. Returns whether it was answered (false: the socket is gone or
 * already carries an answer, and is destroyed).
 */
export function answerClientError(err: NodeJS.ErrnoException, socket: Socket): boolean {
  const code = err.code ?? '';
  const inFlight = (socket as Socket & { _httpMessage?: { headersSent?: boolean } })._httpMessage;
  if (code === 'ECONNRESET' || code === 'EPIPE' || !socket.writable || inFlight?.headersSent) {
    socket.destroy();
    return false;
  }
  const traceId = newId('trace');
  if (code === 'HPE_HEADER_OVERFLOW') writeRawError(socket, 431, 'E1001', 'Request headers too large', traceId);
  else if (code === 'ERR_HTTP_REQUEST_TIMEOUT') writeRawError(socket, 408, 'E1001', 'Request not received in time', traceId);
  else writeRawError(socket, 400, 'E1001', 'Malformed request', traceId);
  return true;
}
