import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { performance } from 'node:perf_hooks';

/** One scripted answer of the fake model. */
export type Reply =
  /** Streamed tool calls (name first, arguments in two pieces, as real servers send them), with optional words before them. */
  | { kind: 'tools'; calls: { name: string; args: Record<string, unknown> | string; id?: string }[]; text?: string; reasoning?: string }
  /** Streamed text deltas (or one JSON completion when the request did not ask for a stream). */
  | { kind: 'text'; deltas: string[] }
  /** Text deltas, then the given raw SSE lines instead of the rest (malformed JSON, a cut stream). */
  | { kind: 'broken'; deltas: string[]; tail: string[] }
  | { kind: 'status'; status: number; body?: string }
  /** Never answers: the client's own timeout has to end it. */
  | { kind: 'hang' };

export interface Recorded {
  body: any;
  headers: http.IncomingHttpHeaders;
  /** performance.now() when the request was read, and when its answer was fully written. */
  receivedAt: number;
  answeredAt?: number;
}

export type Script = (body: any, index: number) => Reply;

const sse = (o: unknown) => `data: ${JSON.stringify(o)}\n\n`;
const chunk = (delta: Record<string, unknown>, finish: string | null = null) => ({ id: 'chatcmpl-test', object: 'chat.completion.chunk', model: 'scripted', choices: [{ index: 0, delta, finish_reason: finish }] });

/**
 * An OpenAI-compatible `POST /v1/chat/completions` on port 0 that plays a script and records
 * every request. `delayMs` stands for the model's own latency (before the first byte).
 */
export class LlmServer {
  readonly requests: Recorded[] = [];
  private script: Script = () => ({ kind: 'status', status: 500, body: 'no script' });
  private waiters: (() => void)[] = [];
  delayMs = 0;

  private constructor(
    private readonly server: http.Server,
    readonly url: string,
  ) {}

  static async start(): Promise<LlmServer> {
    let self: LlmServer | undefined;
    const server = http.createServer((req, res) => void self!.handle(req, res));
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    self = new LlmServer(server, `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`);
    return self;
  }

  /** Replies in order (one per request), or a function of the request. */
  play(script: Reply[] | Script): void {
    this.script = Array.isArray(script) ? (_b, i) => script[i] ?? { kind: 'status', status: 500, body: 'script exhausted' } : script;
    this.requests.length = 0;
  }

  /** Requests that mention `marker` (a test's case id) anywhere in their messages: other runs on the server are not this test's. */
  about(marker: string): Recorded[] {
    return this.requests.filter((r) => JSON.stringify(r.body.messages ?? '').includes(marker));
  }

  /** Resolves once `pred` holds over the recorded requests (checked on every request). */
  async until(pred: (rs: Recorded[]) => boolean, what: string, deadlineMs = 15_000): Promise<void> {
    const deadline = Date.now() + deadlineMs;
    while (!pred(this.requests)) {
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`LLM server never saw: ${what} (${this.requests.length} requests)`);
      await new Promise<void>((resolve) => {
        const t = setTimeout(resolve, left);
        this.waiters.push(() => {
          clearTimeout(t);
          resolve();
        });
      });
    }
  }

  async close(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((r) => this.server.close(() => r()));
  }

  private async handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const parts: Buffer[] = [];
    for await (const p of req) parts.push(p as Buffer);
    if (req.method !== 'POST' || req.url !== '/v1/chat/completions') {
      res.writeHead(404).end();
      return;
    }
    const body = JSON.parse(Buffer.concat(parts).toString('utf8'));
    const rec: Recorded = { body, headers: req.headers, receivedAt: performance.now() };
    const index = this.requests.push(rec) - 1;
    for (const w of this.waiters.splice(0)) w();
    const reply = this.script(body, index);
    if (this.delayMs > 0) await new Promise((r) => setTimeout(r, this.delayMs));
    this.answer(reply, body, res);
    rec.answeredAt = performance.now();
  }

  private answer(reply: Reply, body: any, res: http.ServerResponse): void {
    if (reply.kind === 'hang') return;
    if (reply.kind === 'status') {
      res.writeHead(reply.status, { 'content-type': 'application/json' }).end(reply.body ?? JSON.stringify({ error: { message: 'scripted failure' } }));
      return;
    }
    if (reply.kind === 'text' && body.stream !== true) {
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ choices: [{ index: 0, message: { role: 'assistant', content: reply.deltas.join('') }, finish_reason: 'stop' }] }));
      return;
    }
    res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' });
    res.write(sse(chunk({ role: 'assistant', content: '' })));
    if (reply.kind === 'tools') {
      if (reply.reasoning) res.write(sse(chunk({ reasoning_content: reply.reasoning })));
      if (reply.text) res.write(sse(chunk({ content: reply.text })));
      reply.calls.forEach((c, index) => {
        const args = typeof c.args === 'string' ? c.args : JSON.stringify(c.args);
        const cut = Math.floor(args.length / 2);
        res.write(sse(chunk({ tool_calls: [{ index, id: c.id ?? `call_${index}`, type: 'function', function: { name: c.name, arguments: '' } }] })));
        res.write(sse(chunk({ tool_calls: [{ index, function: { arguments: args.slice(0, cut) } }] })));
        res.write(sse(chunk({ tool_calls: [{ index, function: { arguments: args.slice(cut) } }] })));
      });
      res.write(sse(chunk({}, 'tool_calls')));
      res.end('data: [DONE]\n\n');
      return;
    }
    for (const d of reply.deltas) res.write(sse(chunk({ content: d })));
    if (reply.kind === 'broken') {
      for (const line of reply.tail) res.write(line);
      res.end();
      return;
    }
    res.write(sse(chunk({}, 'stop')));
    res.end('data: [DONE]\n\n');
  }
}
