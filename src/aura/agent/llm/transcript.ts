import type { LogEntry } from '../../ports';
import { DONE_ENTRY } from '../../streams/stream-log';

/** The `sources` tag of the thought that hands a run to the built-in agent; later steps read it from the log. */
export const FALLBACK_SOURCE = 'fallback:builtin';

type Parsed = { event: string; data: Record<string, any> };

function parsed(entries: readonly LogEntry[]): Parsed[] {
  const out: Parsed[] = [];
  for (const e of entries) {
    if (e.event === DONE_ENTRY) continue;
    try {
      out.push({ event: e.event, data: JSON.parse(e.data) });
    } catch {
      // The log holds validated JSON only; an unreadable entry is simply not part of the story.
    }
  }
  return out;
}

const cap = (s: string, n: number) => (s.length <= n ? s : `${s.slice(0, n)}…`);

/**
 * The run so far, as the conclusion tells it to the model. Built from the stream log, not from
 * memory, so an instance that took the run over tells the model the same story as its owner.
 */
export function transcriptOf(entries: readonly LogEntry[], maxChars: number): string {
  const lines: string[] = [];
  for (const { event, data } of parsed(entries)) {
    if (event === 'thought') lines.push(`thought (${data.thoughtType}): ${cap(String(data.content), 1500)}`);
    else if (event === 'plan_step') lines.push(`plan step ${data.stepId}: ${data.description}`);
    else if (event === 'tool_execution' && data.status !== 'running') {
      const out = data.error !== undefined ? `error: ${data.error}` : data.result !== undefined ? `result: ${cap(JSON.stringify(data.result), 2000)}` : '';
      lines.push(`tool ${data.toolName}(${JSON.stringify(data.toolArgs)}) ${data.status}${out ? ` — ${out}` : ''}`);
    } else if (event === 'hitl') lines.push(`asked a human to approve ${data.actionType}: ${cap(String(data.message), 1000)}`);
  }
  const text = lines.join('\n');
  return text.length <= maxChars ? text : `…${text.slice(text.length - maxChars)}`;
}

/** The action the run proposed (its pending, approval-bound tool execution), as logged. */
export function proposedAction(entries: readonly LogEntry[]): { toolName: string; toolArgs: Record<string, unknown> } | undefined {
  const p = parsed(entries).filter((x) => x.event === 'tool_execution' && x.data.requiresApproval === true && x.data.status === 'pending').at(-1);
  return p ? { toolName: String(p.data.toolName), toolArgs: p.data.toolArgs as Record<string, unknown> } : undefined;
}

/** True once the built-in agent took the run over: the rest of the run stays with it. */
export function fellBack(entries: readonly LogEntry[]): boolean {
  return parsed(entries).some((x) => x.event === 'thought' && Array.isArray(x.data.sources) && x.data.sources.includes(FALLBACK_SOURCE));
}
