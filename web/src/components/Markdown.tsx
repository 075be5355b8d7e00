// The agent's answer as Markdown. Its text comes from a model and from case data, so the HTML is
// sanitised before it reaches the DOM; parsing is deferred so a fast stream never blocks input.
import DOMPurify from 'dompurify';
import { marked } from 'marked';
import { useDeferredValue, useMemo } from 'react';

export function Markdown({ text, testId }: { text: string; testId?: string }) {
  const deferred = useDeferredValue(text);
  const html = useMemo(() => DOMPurify.sanitize(marked.parse(deferred, { async: false, gfm: true, breaks: true })), [deferred]);
  return <div className="markdown" data-testid={testId} dangerouslySetInnerHTML={{ __html: html }} />;
}
