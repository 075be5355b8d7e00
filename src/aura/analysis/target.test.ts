import { lineTarget, lineTargetOfContext } from './target';

describe('the document line a request names', () => {
  it('body_evidence first, numbers become strings', () => {
    expect(lineTarget({ body_evidence: { doc_id: 5100000123, item_id: 2 }, evidence: { doc_id: 'X' } })).toEqual({ docId: '5100000123', itemId: '2', source: 'body_evidence' });
  });

  it('body_evidence.document.docKey is read (it was not)', () => {
    expect(lineTarget({ body_evidence: { document: { docKey: '1000-5100000123-2026-002' } } })).toEqual({ docId: '5100000123', itemId: '002', source: 'body_evidence' });
  });

  it('then evidence, then evidence.document.docKey', () => {
    expect(lineTarget({ evidence: { item_id: 3 } })).toEqual({ itemId: '3', source: 'evidence' });
    expect(lineTarget({ evidence: { document: { docKey: '1000-5100000123-2026' } } })).toEqual({ docId: '5100000123', source: 'docKey' });
    expect(lineTarget({ evidence: { document: { docKey: 'DOC7' } } })).toEqual({ docId: 'DOC7', source: 'docKey' });
    expect(lineTarget({})).toEqual({});
  });

  it('an agent context may carry the same blocks, or the ids and docKey at its top level', () => {
    expect(lineTargetOfContext({ body_evidence: { doc_id: '42' } })).toEqual({ docId: '42', source: 'body_evidence' });
    expect(lineTargetOfContext({ doc_id: 42, item_id: 1 })).toEqual({ docId: '42', itemId: '1', source: 'evidence' });
    expect(lineTargetOfContext({ docKey: '1000-5100000123-2026' })).toEqual({ docId: '5100000123', source: 'docKey' });
    expect(lineTargetOfContext({ body_evidence: 'junk', evidence: [1] })).toEqual({});
  });
});
