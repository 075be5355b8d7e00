// The pact-vs-spec check passes on the committed pacts and fails on pacts that ask for what the
// spec does not promise.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { checkPact, checkPactDir, type Pact } from '../../scripts/contract-pacts-vs-spec';

const dir = path.resolve(__dirname, '../../contracts');
const load = (name: string): Pact => JSON.parse(readFileSync(path.join(dir, name), 'utf8')) as Pact;
const byDescription = (p: Pact, d: string) => {
  const i = p.interactions.find((x) => x.description === d);
  if (!i) throw new Error(`no interaction "${d}"`);
  return i as any;
};

test('every committed pact keeps to the specs', () => {
  const { files, errors } = checkPactDir(dir);
  expect(errors).toEqual([]);
  expect(files).toEqual(['aura-dwp-main-messages.json', 'dwp-main-aura-messages.json', 'dwp-main-aura.json', 'workbench-sdk-dwp-gateway.json']);
});

describe('a pact that leaves the spec is rejected', () => {
  test('a path that is no operation', () => {
    const p = load('dwp-main-aura.json');
    byDescription(p, 'a decision recorded with Aura').request.path = '/aura/action/records';
    expect(checkPact(p).join()).toMatch(/is not an operation of openapi.yaml/);
  });

  test('a request field the spec does not have', () => {
    const p = load('dwp-main-aura.json');
    byDescription(p, 'a decision recorded with Aura').request.body.content.executor = 'x';
    expect(checkPact(p).join()).toMatch(/request body/);
  });

  test('a response field of the wrong type', () => {
    const p = load('dwp-main-aura.json');
    byDescription(p, 'a decision recorded with Aura').response.body.content.data.logged = 'yes';
    expect(checkPact(p).join()).toMatch(/response 200/);
  });

  test('an SSE example with an event the operation does not have', () => {
    const p = load('dwp-main-aura.json');
    const i = byDescription(p, 'a request for the analysis run stream');
    const text = Buffer.from(i.response.body.content, 'base64').toString('utf8').replace('event: started', 'event: begun');
    i.response.body.content = Buffer.from(text).toString('base64');
    expect(checkPact(p).join()).toMatch(/"begun" is not an event/);
  });

  test('a HITL signal with a millisecond timestamp', () => {
    const p = load('aura-dwp-main-messages.json');
    byDescription(p, 'a HITL approval signal').contents.content.timestamp = 1770000000000;
    expect(checkPact(p).join()).toMatch(/no message of asyncapi.yaml/);
  });

  test('a NOTIFICATION with a renamed category', () => {
    const p = load('dwp-main-aura-messages.json');
    byDescription(p, 'a CASE_ACTION APPROVE notification').contents.content.category = 'CASE_ACTED';
    expect(checkPact(p).join()).toMatch(/no message of asyncapi.yaml/);
  });

  test('an error status the operation does not declare', () => {
    const p = load('workbench-sdk-dwp-gateway.json');
    byDescription(p, 'an approval of another tenant\'s request').response.status = 410;
    expect(checkPact(p).join()).toMatch(/status 410 is not a response of ApproveHitl/);
  });

  test('an error code answered with another status than the spec gives it', () => {
    const p = load('workbench-sdk-dwp-gateway.json');
    byDescription(p, 'a rejection of a request already approved').response.body.content.errorCode = 'E1004';
    expect(checkPact(p).join()).toMatch(/E1004 is answered with 404, not 409/);
  });

  test('an error body that is not the error envelope', () => {
    const p = load('workbench-sdk-dwp-gateway.json');
    delete byDescription(p, 'an approval by the run\'s own starter').response.body.content.errorCode;
    expect(checkPact(p).join()).toMatch(/response 403/);
  });

  test('a status the operation does not answer', () => {
    const p = load('workbench-sdk-dwp-gateway.json');
    byDescription(p, 'an approval').response.status = 201;
    expect(checkPact(p).join()).toMatch(/status 201 is not a response of ApproveHitl/);
  });
});
