// Request bodies: raw bytes under a per-operation limit, then JSON that cannot poison prototypes.
import type { Request, RequestHandler, Response } from 'express';
import express from 'express';
import sjson from 'secure-json-parse';
import { ApiError } from '../errors';

const JSON_MEDIA_TYPE = /^application\/json\s*(;|$)/i;

/** body-parser's errors (it sets `type`) as the contract's: E1001 with the precise status. */
export function bodyParserError(err: unknown): ApiError | null {
  const e = err as { type?: string; status?: number; message?: string };
  switch (e?.type) {
    case 'entity.too.large':
      return new ApiError('E1001', 'Request body is too large', null, 413);
    case 'encoding.unsupported':
    case 'charset.unsupported':
      return new ApiError('E1001', 'Unsupported body encoding; send uncompressed UTF-8 JSON', null, 415);
    case 'request.size.invalid':
    case 'request.aborted':
    case 'stream.encoding.set':
      return new ApiError('E1001', e.message ?? 'Bad request body');
    default:
      return null;
  }
}

/**
 * Reads a body of at most `limit` bytes. Compressed bodies are refused (415) rather than inflated:
 * the limit is on what the client sends and what we parse alike.
 */
export function rawBody(limit: number): RequestHandler {
  return express.raw({ type: () => true, limit, inflate: false });
}

/**
 * Turns the raw bytes into `req.body`: nothing for an empty body (optional bodies, simple clients),
 * JSON for `application/json`, 415 for anything else.
 */
export function parseJsonBody(req: Request, _res: Response): void {
  const raw = req.body as Buffer | undefined;
  if (!Buffer.isBuffer(raw) || raw.length === 0 || raw.toString('utf8').trim() === '') {
    req.body = undefined;
    return;
  }
  if (!JSON_MEDIA_TYPE.test(req.headers['content-type'] ?? '')) {
    throw new ApiError('E1001', 'Unsupported Content-Type; send application/json', null, 415);
  }
  try {
    const parsed: unknown = sjson.parse(raw.toString('utf8'), undefined, { protoAction: 'error', constructorAction: 'error' });
    req.body = parsed === null ? undefined : parsed;
  } catch {
    throw new ApiError('E1001', 'Malformed JSON body');
  }
}
