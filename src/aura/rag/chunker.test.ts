import { chunkBySize, chunkDocument, looksLikeRegulation } from './chunker';

const REG = [
  '지급 규정 (2026 개정)',
  '제1조 (목적) 이 규정은 지급 절차를 정한다.',
  '제2조 (한도) ① 건당 1억원을 초과하는 지급은 승인이 필요하다.',
  '② 동일 거래처에 같은 금액을 중복 지급하여서는 아니 된다.',
  '제3조의2 (휴일) 휴일에 전기한 전표는 검토 대상이다.',
].join('\n');

describe('RAG chunking', () => {
  it('splits a regulation by article and clause, keeping the heading with each clause', async () => {
    const chunks = await chunkDocument(REG, undefined);
    expect(chunks.map((c) => c.label)).toEqual(['preamble 1', '제1조', '제2조 ①', '제2조 ②', '제3조의2']);
    expect(chunks[3].text).toContain('제2조 (한도)');
    expect(chunks[3].text).toContain('중복 지급');
    expect(chunks[2].text).not.toContain('중복');
  });

  it('recognises "N항" clauses', async () => {
    const chunks = await chunkDocument('제5조 (승인)\n1항 팀장이 승인한다.\n2항 예외는 없다.', 'regulation');
    expect(chunks.map((c) => c.label)).toEqual(['제5조 1항', '제5조 2항']);
  });

  it('chunks other text by size, covering all of it', async () => {
    const words = Array.from({ length: 2000 }, (_, i) => `word${i}`).join(' ');
    expect(looksLikeRegulation(words)).toBe(false);
    const chunks = await chunkBySize(words, 'part ', { maxChars: 500, overlap: 50 });
    expect(chunks.length).toBeGreaterThan(20);
    for (const c of chunks) expect(c.text.length).toBeLessThanOrEqual(500);
    expect(chunks[0].text.startsWith('word0 ')).toBe(true);
    expect(chunks[chunks.length - 1].text.endsWith('word1999')).toBe(true);
  });

  it('yields to the event loop while chunking a big document', async () => {
    const big = Array.from({ length: 3000 }, (_, i) => `제${i + 1}조 (조항) 내용 ${i}.`).join('\n');
    let ticks = 0;
    const timer = setInterval(() => ticks++, 0);
    const chunks = await chunkDocument(big, 'regulation', { sliceSize: 100 });
    clearInterval(timer);
    expect(chunks).toHaveLength(3000);
    expect(ticks).toBeGreaterThan(0);
  });
});
