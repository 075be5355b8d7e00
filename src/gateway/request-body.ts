// Reading a proxied request's body, within the limit its operation accepts (`x-body-limit` in
// openapi.yaml; the bytes are GatewayConfig.bodyLimits), before anything is forwarded.
import type { IncomingMessage } from 'node:http';
import { ApiError } from '../shared/errors';

const tooLarge = (limit: number) => new ApiError('E1001', `Body larger than ${limit} bytes`, null, 413);

/**
 * Reads the request body in full, up to `limit` bytes (413 beyond it, before anything is
 * forwarded). Resolves null for no body, undefined when the client went away.
 */
export function readBody(req: IncomingMessage, limit: number): Promise<Buffer | null | undefined> {
  const declared = req.headers['content-length'];
  if (declared === undefined && req.headers['transfer-encoding'] === undefined) return Promise.resolve(null);
  if (declared !== undefined && Number(declared) > limit) return Promise.reject(tooLarge(limit));
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let settled = false;
    req.on('data', (chunk: Buffer) => {
      if (settled) return;
      size += chunk.length;
      if (size > limit) {
        settled = true;
        // Stop buffering; the 413 answer closes the connection.
        req.pause();
        reject(tooLarge(limit));
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => {
      if (settled) return;
      settled = true;
      resolve(size === 0 ? null : Buffer.concat(chunks, size));
    });
    req.on('close', () => {
      if (settled) return;
      settled = true;
      resolve(undefined);
    });
    req.on('error', () => {
      if (settled) return;
      settled = true;
      resolve(undefined);
    });
  });
}
