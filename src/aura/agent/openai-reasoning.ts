import type { Logger } from '../../shared/logger';
import type { LlmConfig } from '../config';
import type { AgentInput, Finding, Outcome, ReasoningProvider } from './reasoning';

/**
 * An OpenAI-compatible chat-completions endpoint for the agent's words. Any failure falls back
 * to the built-in provider: the stream's guarantees never depend on a model being up.
 */
export class OpenAiCompatibleReasoning implements ReasoningProvider {
  readonly name = 'openai-compatible';

  constructor(
    private readonly cfg: LlmConfig,
    private readonly fallback: ReasoningProvider,
    private readonly logger: Logger,
  ) {}

  private async ask(instruction: string, input: AgentInput, extra: string, orElse: () => Promise<string>): Promise<string> {
    try {
      const headers: Record<string, string> = { 'content-type': 'application/json' };
      if (this.cfg.apiKey) headers.authorization = `Bearer ${this.cfg.apiKey}`;
      const res = await fetch(`${this.cfg.baseUrl}/chat/completions`, {
        method: 'POST',
        headers,
        signal: AbortSignal.timeout(this.cfg.timeoutMs),
        body: JSON.stringify({
          model: this.cfg.model,
          temperature: 0,
          messages: [
            { role: 'system', content: `You are Aura, a finance case analyst. ${instruction} Answer in at most three sentences.` },
            { role: 'user', content: `${input.prompt}\n\nCase: ${input.caseId}\nContext: ${JSON.stringify(input.context).slice(0, 8000)}\n${extra}` },
          ],
        }),
      });
      if (!res.ok) throw new Error(`HTTP ${res.status}`);
      const body = (await res.json()) as { choices?: { message?: { content?: unknown } }[] };
      const text = body.choices?.[0]?.message?.content;
      if (typeof text !== 'string' || !text.trim()) throw new Error('empty completion');
      return text.trim();
    } catch (err) {
      this.logger.warn({ err: (err as Error).message }, 'LLM provider failed; using the built-in reasoning');
      return orElse();
    }
  }

  analyse(input: AgentInput, findings: Finding[]): Promise<string> {
    return this.ask('Summarise what the request is about.', input, `Findings: ${JSON.stringify(findings)}`, () => this.fallback.analyse(input, findings));
  }

  decide(input: AgentInput, findings: Finding[], actionType: string): Promise<string> {
    return this.ask(`Explain why ${actionType} is proposed and needs human approval.`, input, `Findings: ${JSON.stringify(findings)}`, () =>
      this.fallback.decide(input, findings, actionType),
    );
  }

  conclude(input: AgentInput, actionType: string, outcome: Outcome): Promise<string> {
    return this.ask(`Report the outcome of ${actionType}.`, input, `Outcome: ${JSON.stringify(outcome)}`, () => this.fallback.conclude(input, actionType, outcome));
  }
}
