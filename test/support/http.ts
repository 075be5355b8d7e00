import * as V from '../../generated/validators/schemas';
import { checkAgainstSpec } from './spec-check';

export interface HttpOptions {
  headers?: Record<string, string>;
  /** A JSON body (sent as JSON). */
  body?: unknown;
  /** A body sent exactly as given (malformed JSON, other media types). */
  raw?: string;
}

export interface HttpResult {
  status: number;
  headers: Headers;
  /** The parsed JSON body, or undefined if the answer is not JSON. */
  body: any;
  text: string;
}

/**
 * One HTTP request over a real socket, `http(method, url, opts)`. A body is sent as
 * application/json unless the headers say otherwise. Every answer is checked against the spec.
 */
export async function http(method: string, url: string, opts: HttpOptions = {}): Promise<HttpResult> {
  const headers: Record<string, string> = { ...opts.headers };
  const body = opts.raw !== undefined ? opts.raw : opts.body !== undefined ? JSON.stringify(opts.body) : undefined;
  if (body !== undefined && !Object.keys(headers).some((h) => h.toLowerCase() === 'content-type')) headers['content-type'] = 'application/json';
  const res = await fetch(url, { method, headers, body });
  const text = await res.text();
  let parsed: unknown = undefined;
  try {
    parsed = text ? JSON.parse(text) : undefined;
  } catch {
    parsed = undefined;
  }
  checkAgainstSpec(method, url, res.status, res.headers.get('content-type'), parsed);
  return { status: res.status, headers: res.headers, body: parsed, text };
}

/** Asserts an error answer: this status and code, a valid error envelope, no stack trace. */
export function expectError(res: HttpResult, status: number, code: string): void {
  const body: unknown = res.body;
  if (!V.ErrorEnvelope(body)) {
    throw new Error(`not an error envelope (${res.status}): ${res.text.slice(0, 500)} — ${JSON.stringify(V.ErrorEnvelope.errors)}`);
  }
  const envelope = body as { errorCode: string; success: boolean };
  expect({ status: res.status, code: envelope.errorCode }).toEqual({ status, code });
  expect(envelope.success).toBe(false);
  expect(res.text).not.toMatch(/\n\s+at |stack/);
}
