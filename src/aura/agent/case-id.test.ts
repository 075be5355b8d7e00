import { caseIdOf } from './case-id';

test.each([
  ['Review case DEMO00001 and block it', 'DEMO00001'],
  ['Please look at CASE-2026-0001 now', 'CASE-2026-0001'],
  ['AP-17-003 looks odd', 'AP-17-003'],
  ['nothing named here', 'stream-1'],
])('%s → %s', (prompt, expected) => {
  expect(caseIdOf(prompt, {}, 'stream-1')).toBe(expected);
});

test('the context wins over the prompt, and numbers become strings', () => {
  expect(caseIdOf('about DEMO00001', { caseId: 'CASE-2026-0002' }, 's')).toBe('CASE-2026-0002');
  expect(caseIdOf('about DEMO00001', { caseId: 42 }, 's')).toBe('42');
});
