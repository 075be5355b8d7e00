import { createParser } from 'eventsource-parser';
import { operations } from '../../generated/server/operations';
import { SSE_DONE } from '../../generated/contract';

export interface Frame {
  id?: string;
  event: string;
  data: any;
  raw: string;
}

export interface SseResult {
  status: number;
  headers: Headers;
  frames: Frame[];
  comments: string[];
  done: boolean;
}

/**
 * Reads an SSE response over a real socket, validating every event's data against the schema
 * the spec gives it for `operationId`. `until` may stop early (the connection is then cut).
 */
export async function readSse(
  url: string,
  init: RequestInit,
  operationId: keyof typeof operations,
  until?: (f: Frame, all: Frame[]) => boolean,
): Promise<SseResult> {
  const ac = new AbortController();
  const res = await fetch(url, { ...init, signal: ac.signal });
  const result: SseResult = { status: res.status, headers: res.headers, frames: [], comments: [], done: false };
  if (!res.body || !res.headers.get('content-type')?.startsWith('text/event-stream')) {
    const text = await res.text();
    (result as SseResult & { text: string }).text = text;
    return result;
  }
  const validators = (operations[operationId].sseEvents ?? {}) as Record<string, ((x: unknown) => boolean) & { errors?: unknown }>;
  let stop = false;
  const parser = createParser({
    onComment: (c) => result.comments.push(c),
    onEvent: (m) => {
      if (stop) return;
      if (m.data === SSE_DONE) {
        result.done = true;
        stop = true;
        return;
      }
      const data = JSON.parse(m.data);
      const v = validators[m.event ?? 'message'];
      if (!v) throw new Error(`event "${m.event}" is not an event of ${operationId}`);
      if (!v(data)) throw new Error(`event "${m.event}" does not match its schema: ${JSON.stringify(v.errors)} — ${m.data}`);
      const f: Frame = { id: m.id, event: m.event ?? 'message', data, raw: m.data };
      result.frames.push(f);
      if (until?.(f, result.frames)) stop = true;
    },
  });
  const reader = res.body.getReader();
  const decoder = new TextDecoder();
  try {
    while (!stop) {
      const { done, value } = await reader.read();
      if (done) break;
      parser.feed(decoder.decode(value, { stream: true }));
    }
  } finally {
    ac.abort();
  }
  return result;
}
