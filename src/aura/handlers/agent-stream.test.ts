// The agent stream handlers over an in-memory stream log and runner: a join or a resume reads
// only the caller's tenant's runs, and every response is the log's entries, then [DONE].
import type { AuraAgentRunRecord } from '../../../generated/schemas';
import type { RequestContext } from '../../shared/http/service-app';
import type { LogEntry, StreamLog } from '../ports';
import { DONE_ENTRY } from '../streams/stream-log';
import { makeJoinStream } from './JoinStream';
import { makeStartAgentStream } from './StartAgentStream';
import type { AgentStreamDeps } from './agent-stream';

/** A finished log per stream; `tail` replays after the position (nothing is live here). */
class MemoryLog implements StreamLog {
  readonly logs = new Map<string, LogEntry[]>();
  async append(streamId: string, event: string, data: string): Promise<number> {
    const log = this.logs.get(streamId) ?? [];
    this.logs.set(streamId, log);
    log.push({ seq: log.length + 1, event, data });
    return log.length;
  }
  finish(streamId: string): Promise<number> {
    return this.append(streamId, DONE_ENTRY, '');
  }
  async range(streamId: string, afterSeq: number): Promise<LogEntry[]> {
    return (this.logs.get(streamId) ?? []).filter((e) => e.seq > afterSeq);
  }
  async lastSeq(streamId: string): Promise<number | null> {
    const log = this.logs.get(streamId);
    return log ? log.length : null;
  }
  async *tail(streamId: string, afterSeq: number): AsyncGenerator<LogEntry> {
    yield* await this.range(streamId, afterSeq);
  }
}

function fakeStream() {
  const s = {
    frames: [] as string[],
    finished: false,
    send: (event: string, data: unknown) => s.frames.push(`${event} ${JSON.stringify(data)}`),
    writeRaw: (frame: string) => s.frames.push(frame) > 0,
    done: () => {
      s.finished = true;
    },
  };
  return s;
}

function ctxWith(stream: ReturnType<typeof fakeStream>, tenantId = 't1'): RequestContext {
  return { auth: { userId: 'u1', tenantId, token: 'x' }, traceId: 'trace', signal: new AbortController().signal, openStream: () => stream } as unknown as RequestContext;
}

const run = (streamId: string, tenantId = 't1'): AuraAgentRunRecord => ({ streamId, tenantId, userId: 'u1', caseId: 'CASE-1', phase: 'finished', createdAt: 1770000000 });

let log: MemoryLog;
let deps: AgentStreamDeps;
let started: unknown[];
beforeEach(async () => {
  log = new MemoryLog();
  started = [];
  const runs = new Map([['stream-a', run('stream-a')]]);
  deps = {
    agentLog: log,
    agent: {
      start: async (req) => {
        started.push(req);
        runs.set('stream-new', run('stream-new', req.tenantId));
        await log.append('stream-new', 'start', '{"n":1}');
        await log.finish('stream-new');
        return 'stream-new';
      },
      runOf: async (id) => runs.get(id) ?? null,
    },
  };
  await log.append('stream-a', 'start', '{"n":1}');
  await log.append('stream-a', 'end', '{"n":2}');
  await log.finish('stream-a');
});

test('StartAgentStream starts a run with the thread in its context and serves its log', async () => {
  const stream = fakeStream();
  await makeStartAgentStream(deps)({ headers: {}, body: { prompt: 'check CASE-1', thread_id: 'th-1' } } as never, ctxWith(stream));
  expect(started).toEqual([{ tenantId: 't1', userId: 'u1', prompt: 'check CASE-1', context: { threadId: 'th-1' } }]);
  expect(stream.frames).toHaveLength(1);
  expect(stream.frames[0]).toContain('event: start');
  expect(stream.finished).toBe(true);
});

test('JoinStream serves the log after Last-Event-ID; another tenant’s stream is unknown', async () => {
  const stream = fakeStream();
  await makeJoinStream(deps)({ headers: { 'last-event-id': 'stream-a:1' }, params: { streamId: 'stream-a' } } as never, ctxWith(stream));
  expect(stream.frames).toHaveLength(1);
  expect(stream.frames[0]).toContain('event: end');
  expect(stream.finished).toBe(true);

  await expect(makeJoinStream(deps)({ headers: {}, params: { streamId: 'stream-a' } } as never, ctxWith(fakeStream(), 't2'))).rejects.toMatchObject({ code: 'E1004' });
  const other = fakeStream();
  await makeJoinStream(deps)({ headers: { 'last-event-id': 'stream-a:1' }, params: { streamId: 'stream-a' } } as never, ctxWith(other, 't2'));
  expect(other.frames).toEqual([expect.stringContaining('StreamExpired')]);
});
