import type { ErrorEvent } from '../../../generated/schemas';
import { formatFrame, type SseStream } from '../../shared/http/sse';
import { unixSeconds } from '../../shared/time';
import { formatEventId, parseEventId } from './event-id';
import type { StreamLog } from '../ports';
import { DONE_ENTRY } from './stream-log';

export function errorEvent(error: string, errorType: string, message?: string): ErrorEvent {
  const e: ErrorEvent = { type: 'error', version: '1.0', timestamp: unixSeconds(), error, errorType };
  if (message !== undefined) e.message = message;
  return e;
}

type ErrorCapable = SseStream<{ error: ErrorEvent }>;

/** Answers in-band (the response is already a stream): an `error` event, then `[DONE]`. */
export function endWithError(stream: ErrorCapable, error: string, errorType: string): void {
  stream.send('error', errorEvent(error, errorType));
  stream.done();
}

/**
 * Where a resume starts: the position after `lastEventId` in `streamId`'s log, or an in-band
 * reason why it cannot (unknown or expired stream, a position the stream never reached).
 */
export async function resumePosition(
  log: StreamLog,
  lastEventId: string,
  expectedStreamId?: string,
): Promise<{ streamId: string; afterSeq: number } | { error: string; errorType: string }> {
  const parsed = parseEventId(lastEventId);
  if (!parsed || (expectedStreamId !== undefined && parsed.streamId !== expectedStreamId)) {
    return { error: `Last-Event-ID ${lastEventId} does not belong to this stream`, errorType: 'UnknownEventId' };
  }
  const last = await log.lastSeq(parsed.streamId);
  if (last === null) return { error: `Stream ${parsed.streamId} is unknown or has expired`, errorType: 'StreamExpired' };
  if (parsed.seq > last) return { error: `Stream ${parsed.streamId} never reached position ${parsed.seq}`, errorType: 'UnknownEventId' };
  return { streamId: parsed.streamId, afterSeq: parsed.seq };
}

/**
 * Serves a stream from its log: replays what follows `afterSeq`, then follows live until the
 * producer finishes (→ `[DONE]`) or the client leaves. Entries were validated when appended.
 */
export async function serveFromLog(
  stream: SseStream<object>,
  log: StreamLog,
  streamId: string,
  afterSeq: number,
  signal: AbortSignal,
): Promise<void> {
  for await (const entry of log.tail(streamId, afterSeq, { signal })) {
    if (entry.event === DONE_ENTRY) {
      stream.done();
      return;
    }
    if (!stream.writeRaw(formatFrame(entry.event, entry.data, formatEventId(streamId, entry.seq)))) return;
  }
}
