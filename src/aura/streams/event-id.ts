/** SSE ids are `{streamId}:{seq}`; the stream id may itself contain colons, the seq never does. */
export function formatEventId(streamId: string, seq: number): string {
  return `${streamId}:${seq}`;
}

export function parseEventId(id: string): { streamId: string; seq: number } | null {
  const at = id.lastIndexOf(':');
  if (at <= 0) return null;
  const seq = Number(id.slice(at + 1));
  if (!Number.isSafeInteger(seq) || seq < 0) return null;
  return { streamId: id.slice(0, at), seq };
}
