// contract:diff finds the breaking edits CI must refuse, and lets compatible ones through.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { breakingChanges } from '../../scripts/contract-diff';

const read = (f: string) => readFileSync(path.resolve(__dirname, '../..', f), 'utf8');
const base = { openapi: read('openapi.yaml'), asyncapi: read('asyncapi.yaml') };
const edit = (file: 'openapi' | 'asyncapi', from: string | RegExp, to: string) => {
  const text = base[file];
  const next = text.replace(from, to);
  if (next === text) throw new Error(`edit did not apply: ${from}`);
  return { ...base, [file]: next };
};

test('the specs against themselves: nothing breaks', () => {
  expect(breakingChanges(base, base)).toEqual([]);
});

test('a compatible change (a new enum value) passes', () => {
  const next = edit('openapi', 'enum: [APPROVE, REJECT, TIMEOUT]', 'enum: [APPROVE, REJECT, TIMEOUT, ESCALATE]');
  expect(breakingChanges(base, next)).toEqual([]);
});

test.each([
  ['a removed operation', edit('openapi', /^  \/api\/auth\/me:/m, '  /api/auth/whoami:'), /GET \/api\/auth\/me: operation removed/],
  ['a new required request field', edit('openapi', 'required: [username, password, tenantId]', 'required: [username, password, tenantId, otp]'), /LoginRequest: new required request field otp/],
  ['a removed field', edit('openapi', /^        password: \{ type: string, minLength: 1, maxLength: 256, pattern: '\^\[\^\\u0000\]\*\$' \}\n/m, ''), /LoginRequest\.password: removed/],
  ['a narrowed enum', edit('openapi', 'enum: [CASE_ACTION, RAG_STATUS, AI_DETECT, HITL_REQUEST]', 'enum: [CASE_ACTION, RAG_STATUS, HITL_REQUEST]'), /enum value "AI_DETECT" removed/],
  ['a narrowed bound', edit('openapi', 'password: { type: string, minLength: 1, maxLength: 256,', 'password: { type: string, minLength: 1, maxLength: 64,'), /maxLength lowered to 64/],
  ['a narrowed type', edit('openapi', "password: { type: string, minLength: 1, maxLength: 256, pattern: '^[^\\u0000]*$' }", 'password: { type: integer }'), /password: type string no longer allowed/],
  ['a renamed AsyncAPI channel address', edit('asyncapi', "address: 'hitl:channel:{sessionId}'", "address: 'hitl:decision:{sessionId}'"), /channel hitlChannel: address/],
])('%s is breaking', (_name, next, expected) => {
  expect(breakingChanges(base, next).join('\n')).toMatch(expected);
});
