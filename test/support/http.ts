import type { ServiceApp } from '../../src/shared/http/service-app';
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import * as V from '../../generated/validators/schemas';
import { checkAgainstSpec } from './spec-check';

/** Listens on 127.0.0.1:0 and returns the base URL. */
export async function listen(app: ServiceApp | Server): Promise<string> {
  if ('express' in app) {
    await app.listen({ port: 0, host: '127.0.0.1' });
    const addr = app.server.address() as AddressInfo;
    return `http://127.0.0.1:${addr.port}`;
  }
  await new Promise<void>((resolve) => app.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(app.address() as AddressInfo).port}`;
}

export interface JsonResponse {
  status: number;
  headers: Headers;
  body: any;
  text: string;
}

export async function http(url: string, init: RequestInit = {}): Promise<JsonResponse> {
  const res = await fetch(url, init);
  const text = await res.text();
  let body: unknown = undefined;
  try {
    body = text ? JSON.parse(text) : undefined;
  } catch {
    body = undefined;
  }
  checkAgainstSpec(init.method ?? 'GET', url, res.status, res.headers.get('content-type'), body);
  return { status: res.status, headers: res.headers, body, text };
}

/** Asserts an error answer: the status, the code, and that the body is a valid error envelope. */
export function expectError(res: JsonResponse, status: number, code: string): void {
  const body: unknown = res.body;
  if (!V.ErrorEnvelope(body)) {
    throw new Error(`not an error envelope (${res.status}): ${res.text.slice(0, 500)} — ${JSON.stringify(V.ErrorEnvelope.errors)}`);
  }
  expect({ status: res.status, code: res.body.errorCode }).toEqual({ status, code });
  expect(res.text).not.toMatch(/\n\s+at /); // no stack trace
}
