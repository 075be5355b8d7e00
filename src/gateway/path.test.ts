import { checkRequestTarget } from './path';

describe('checkRequestTarget', () => {
  it('splits path and query of ordinary targets', () => {
    expect(checkRequestTarget('/api/aura/test/stream?message=hi%20there')).toEqual({
      ok: true,
      path: '/api/aura/test/stream',
      query: 'message=hi%20there',
    });
    expect(checkRequestTarget('/api/main/cases/')).toMatchObject({ ok: true, path: '/api/main/cases/' });
    expect(checkRequestTarget('/api/main/cases/A%3A1')).toMatchObject({ ok: true, path: '/api/main/cases/A%3A1' });
  });

  it.each([
    '/api/aura/../auth/me',
    '/api/aura/./hitl/approve/x',
    '/api/aura/%2e%2e/hitl/approve/x',
    '/api/aura/%2E%2e/x',
    '/api/aura/.%2e/x',
    '/api/aura%2fhitl/approve/x',
    '/api/aura/hitl%2Fapprove',
    '/api/aura/x%5c..%5chitl',
    '/api/aura\\..\\hitl',
    '/api/aura/x%00',
    '/api/aura/x%0d%0aX-Injected:1',
    '/api//aura/hitl/approve/x',
    '/api/aura/%zz',
    '/api/aura/x#frag',
    'http://evil.example/api/aura/x',
    '*',
    '',
    `/api/aura/${'a'.repeat(9000)}`,
  ])('rejects %s', (target) => {
    expect(checkRequestTarget(target).ok).toBe(false);
  });

  it('rejects control characters in the query', () => {
    expect(checkRequestTarget('/api/x?a=\u0000').ok).toBe(false);
  });
});
