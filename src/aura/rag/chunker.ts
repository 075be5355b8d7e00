import type { RagDocumentKind } from '../../../generated/schemas';

export interface Chunk {
  label: string;
  text: string;
}

export interface ChunkOptions {
  /** Target size of a size-based chunk, in characters. */
  maxChars: number;
  overlap: number;
  /** Pieces processed between two yields to the event loop. */
  sliceSize: number;
}

const DEFAULTS: ChunkOptions = { maxChars: 800, overlap: 100, sliceSize: 200 };

// An article heading at the start of a line: 제3조, 제3조의2, optionally followed by (title).
const ARTICLE = /^[ \t]*(제\s*\d+\s*조(?:\s*의\s*\d+)?)/gm;
// A clause: a circled number (①..⑳) or "N항" / "(N)" at the start of a line.
const CLAUSE = /(?:^|\s)([\u2460-\u2473])|^[ \t]*(\d+\s*항|\(\d+\))/gm;

/** Lets other requests run between slices of a long CPU task. */
export const yieldToLoop = () => new Promise<void>((r) => setImmediate(r));

export function looksLikeRegulation(text: string): boolean {
  ARTICLE.lastIndex = 0;
  return ARTICLE.test(text);
}

/** Size-based chunks that break at whitespace where possible, with a small overlap. */
export async function chunkBySize(text: string, labelPrefix: string, o: Partial<ChunkOptions> = {}): Promise<Chunk[]> {
  const { maxChars, overlap, sliceSize } = { ...DEFAULTS, ...o };
  const out: Chunk[] = [];
  let start = 0;
  while (start < text.length) {
    let end = Math.min(text.length, start + maxChars);
    if (end < text.length) {
      const ws = text.lastIndexOf(' ', end);
      const nl = text.lastIndexOf('\n', end);
      const cut = Math.max(ws, nl);
      if (cut > start + maxChars / 2) end = cut;
    }
    const piece = text.slice(start, end).trim();
    if (piece) out.push({ label: `${labelPrefix}${out.length + 1}`, text: piece });
    if (end >= text.length) break;
    start = Math.max(end - overlap, start + 1);
    if (out.length % sliceSize === 0) await yieldToLoop();
  }
  return out;
}

function splitClauses(article: string, heading: string): Chunk[] {
  const marks: { at: number; label: string }[] = [];
  CLAUSE.lastIndex = 0;
  for (let m = CLAUSE.exec(article); m; m = CLAUSE.exec(article)) {
    const label = (m[1] ?? m[2]).replace(/\s+/g, '');
    marks.push({ at: m.index + m[0].indexOf(m[1] ?? m[2]), label });
  }
  if (marks.length < 2) return [{ label: heading, text: article.trim() }];
  const title = article.slice(0, marks[0].at).trim();
  return marks.map((mk, i) => ({
    label: `${heading} ${mk.label}`,
    // The article's heading travels with each clause so a clause alone still says where it is from.
    text: `${title} ${article.slice(mk.at, marks[i + 1]?.at ?? article.length).trim()}`.trim(),
  }));
}

/** Regulations by article (제N조) and clause (①, N항); anything before the first article, and long pieces, by size. */
export async function chunkRegulation(text: string, o: Partial<ChunkOptions> = {}): Promise<Chunk[]> {
  const opts = { ...DEFAULTS, ...o };
  const starts: { at: number; heading: string }[] = [];
  ARTICLE.lastIndex = 0;
  for (let m = ARTICLE.exec(text); m; m = ARTICLE.exec(text)) {
    starts.push({ at: m.index, heading: m[1].replace(/\s+/g, '') });
    if (starts.length % opts.sliceSize === 0) await yieldToLoop();
  }
  if (!starts.length) return chunkBySize(text, 'part ', opts);
  const out: Chunk[] = [];
  const preamble = text.slice(0, starts[0].at).trim();
  if (preamble) out.push(...(await chunkBySize(preamble, 'preamble ', opts)));
  for (let i = 0; i < starts.length; i++) {
    const article = text.slice(starts[i].at, starts[i + 1]?.at ?? text.length);
    for (const c of splitClauses(article, starts[i].heading)) {
      if (c.text.length <= opts.maxChars * 2) out.push(c);
      else out.push(...(await chunkBySize(c.text, `${c.label} part `, opts)));
    }
    if (i % opts.sliceSize === opts.sliceSize - 1) await yieldToLoop();
  }
  return out;
}

export async function chunkDocument(text: string, kind: RagDocumentKind | undefined, o: Partial<ChunkOptions> = {}): Promise<Chunk[]> {
  const k = kind ?? (looksLikeRegulation(text) ? 'regulation' : 'text');
  return k === 'regulation' ? chunkRegulation(text, o) : chunkBySize(text, 'part ', o);
}
