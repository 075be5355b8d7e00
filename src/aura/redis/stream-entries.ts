import type { LogEntry } from '../ports';

/** A Redis Stream entry as ioredis returns it. */
export type XEntry = [id: string, fields: string[]];

export function seqOf(id: string): number {
  // Entry ids are `0-{seq}`: XADD `0-*` lets Redis number them, atomically and without a counter.
  return Number(id.slice(id.indexOf('-') + 1));
}

export function toEntry([id, fields]: XEntry): LogEntry {
  let event = '';
  let data = '';
  for (let i = 0; i + 1 < fields.length; i += 2) {
    if (fields[i] === 'e') event = fields[i + 1];
    else if (fields[i] === 'd') data = fields[i + 1];
  }
  return { seq: seqOf(id), event, data };
}
