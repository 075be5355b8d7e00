import { createParser, type EventSourceMessage } from 'eventsource-parser';
import { HEADERS } from '../../../../generated/contract';
import type { LlmConfig } from '../../config';

export interface ToolCall {
  id: string;
  type: 'function';
  function: { name: string; arguments: string };
}

export type ChatMessage =
  | { role: 'system' | 'user'; content: string }
  | { role: 'assistant'; content: string | null; tool_calls?: ToolCall[] }
  | { role: 'tool'; tool_call_id: string; content: string };

export interface ToolSpec {
  type: 'function';
  function: { name: string; description: string; parameters: Record<string, unknown> };
}

/** One model turn, put back together from its streamed deltas. */
export interface ChatTurn {
  text: string;
  /** What reasoning models stream beside the answer (`reasoning_content` in vLLM and DeepSeek, `reasoning` in Ollama). */
  reasoning: string;
  toolCalls: ToolCall[];
  finishReason: string | null;
}

export type ModelFailure = 'timeout' | 'http' | 'malformed' | 'network';

export class ModelError extends Error {
  constructor(
    readonly kind: ModelFailure,
    message: string,
  ) {
    super(message);
    this.name = 'ModelError';
  }
}

interface Delta {
  content?: unknown;
  reasoning_content?: unknown;
  reasoning?: unknown;
  tool_calls?: { index?: unknown; id?: unknown; function?: { name?: unknown; arguments?: unknown } }[];
}

interface Chunk {
  choices?: { delta?: Delta; message?: Delta; finish_reason?: unknown }[];
  error?: unknown;
}

/**
 * `POST {base}/chat/completions` with `stream: true` (OpenAI, vLLM, Ollama's /v1, LiteLLM...).
 * Text deltas are handed to `onText` as they arrive, in order, each awaited before the next is
 * read: the caller logs them and a slow log slows the read, it does not reorder.
 */
export class ChatClient {
  constructor(private readonly cfg: LlmConfig) {}

  get model(): string {
    return this.cfg.model;
  }

  async turn(messages: ChatMessage[], tools: ToolSpec[] | undefined, onText?: (delta: string) => Promise<void>, signal?: AbortSignal): Promise<ChatTurn> {
    // An idle timeout, not a total one: a long answer that keeps streaming is fine, a silent model is not.
    const idle = new AbortController();
    let timer = setTimeout(() => idle.abort(), this.cfg.timeoutMs);
    const touch = () => {
      clearTimeout(timer);
      timer = setTimeout(() => idle.abort(), this.cfg.timeoutMs);
    };
    const abort = signal ? AbortSignal.any([idle.signal, signal]) : idle.signal;
    const headers: Record<string, string> = { 'content-type': 'application/json', accept: 'text/event-stream' };
    if (this.cfg.apiKey) headers[HEADERS.AUTHORIZATION] = `Bearer ${this.cfg.apiKey}`;
    const body = { model: this.cfg.model, stream: true, temperature: 0, messages, ...(tools?.length ? { tools, tool_choice: 'auto' } : {}) };
    try {
      const res = await fetch(`${this.cfg.baseUrl}/chat/completions`, { method: 'POST', headers, body: JSON.stringify(body), signal: abort });
      if (!res.ok) throw new ModelError('http', `HTTP ${res.status}: ${(await res.text().catch(() => '')).slice(0, 200)}`);
      const type = res.headers.get('content-type') ?? '';
      // Some servers ignore `stream` and answer one JSON completion: take it as one turn.
      if (type.includes('application/json')) {
        const turn = newTurn();
        applyChunk(turn, parseChunk(await res.text()), true);
        if (onText && turn.text) await onText(turn.text);
        return finished(turn);
      }
      return await this.readStream(res, onText, touch);
    } catch (err) {
      if (err instanceof ModelError) throw err;
      if (idle.signal.aborted) throw new ModelError('timeout', `no answer for ${this.cfg.timeoutMs} ms`);
      if (signal?.aborted) throw err;
      // fetch and the body reader fail with TypeError (or AbortError); anything else came from
      // `onText` — the stream log refusing an append — and is the caller's, not the model's.
      if (err instanceof TypeError || (err as Error).name === 'AbortError') throw new ModelError('network', (err as Error).message);
      throw err;
    } finally {
      clearTimeout(timer);
    }
  }

  private async readStream(res: Response, onText: ((d: string) => Promise<void>) | undefined, touch: () => void): Promise<ChatTurn> {
    const turn = newTurn();
    let done = false;
    const pending: EventSourceMessage[] = [];
    const parser = createParser({ onEvent: (m) => pending.push(m) });
    const reader = res.body!.getReader();
    const dec = new TextDecoder();
    while (!done) {
      const { done: eof, value } = await reader.read();
      if (eof) break;
      touch();
      parser.feed(dec.decode(value, { stream: true }));
      for (const m of pending.splice(0)) {
        if (m.data === '[DONE]') {
          done = true;
          break;
        }
        const before = turn.text.length;
        applyChunk(turn, parseChunk(m.data), false);
        if (onText && turn.text.length > before) await onText(turn.text.slice(before));
      }
    }
    if (done) await reader.cancel().catch(() => undefined);
    // A stream cut before `[DONE]` or a finish_reason is a truncated answer, not a short one.
    if (!done && turn.finishReason === null) throw new ModelError('malformed', 'the stream ended before [DONE]');
    return finished(turn);
  }
}

function newTurn(): ChatTurn & { partial: Map<number, ToolCall> } {
  return { text: '', reasoning: '', toolCalls: [], finishReason: null, partial: new Map() };
}

function finished(turn: ChatTurn & { partial?: Map<number, ToolCall> }): ChatTurn {
  const calls = [...(turn.partial ?? new Map<number, ToolCall>()).entries()].sort((a, b) => a[0] - b[0]).map(([i, c]) => (c.id ? c : { ...c, id: `call_${i}` }));
  return { text: turn.text, reasoning: turn.reasoning, toolCalls: calls, finishReason: turn.finishReason };
}

function parseChunk(data: string): Chunk {
  let chunk: unknown;
  try {
    chunk = JSON.parse(data);
  } catch {
    throw new ModelError('malformed', `not JSON: ${data.slice(0, 120)}`);
  }
  if (!chunk || typeof chunk !== 'object') throw new ModelError('malformed', `not a completion chunk: ${data.slice(0, 120)}`);
  const c = chunk as Chunk;
  if (c.error !== undefined) throw new ModelError('http', `the model answered an error: ${JSON.stringify(c.error).slice(0, 200)}`);
  if (!Array.isArray(c.choices)) throw new ModelError('malformed', `no choices: ${data.slice(0, 120)}`);
  return c;
}

/** Folds one chunk into the turn; tool calls arrive in pieces keyed by `index` (name first, arguments in parts). */
function applyChunk(turn: ChatTurn & { partial: Map<number, ToolCall> }, chunk: Chunk, whole: boolean): void {
  const choice = chunk.choices?.[0];
  if (!choice) return;
  const d = (whole ? choice.message : choice.delta) ?? {};
  if (typeof d.content === 'string') turn.text += d.content;
  if (typeof d.reasoning_content === 'string') turn.reasoning += d.reasoning_content;
  else if (typeof d.reasoning === 'string') turn.reasoning += d.reasoning;
  if (Array.isArray(d.tool_calls)) {
    d.tool_calls.forEach((tc, i) => {
      const index = typeof tc.index === 'number' ? tc.index : whole ? i : 0;
      const call = turn.partial.get(index) ?? { id: '', type: 'function' as const, function: { name: '', arguments: '' } };
      if (typeof tc.id === 'string' && tc.id) call.id = tc.id;
      if (typeof tc.function?.name === 'string') call.function.name += tc.function.name;
      if (typeof tc.function?.arguments === 'string') call.function.arguments += tc.function.arguments;
      else if (tc.function?.arguments && typeof tc.function.arguments === 'object') call.function.arguments = JSON.stringify(tc.function.arguments);
      turn.partial.set(index, call);
    });
  }
  if (typeof choice.finish_reason === 'string') turn.finishReason = choice.finish_reason;
}
