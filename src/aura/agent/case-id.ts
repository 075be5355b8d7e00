import { isIdentifier } from '../../shared/ids';

// Case ids as people type them: DEMO00001, CASE-2026-0001, AP-17-003.
const CASE_IN_PROMPT = /\b([A-Z]{2,}(?:-?[0-9]{2,})+)\b/;

/** The case a run is about: the context's `caseId`, else one named in the prompt, else `fallback`. */
export function caseIdOf(prompt: string, context: Record<string, unknown>, fallback: string): string {
  if (isIdentifier(context.caseId)) return context.caseId;
  if (typeof context.caseId === 'number') return String(context.caseId);
  const m = CASE_IN_PROMPT.exec(prompt);
  return m ? m[1] : fallback;
}
