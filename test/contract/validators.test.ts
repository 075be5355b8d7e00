// The contract's rules live in the schemas of openapi.yaml; these tests prove the generated validators enforce them.
import * as V from '../../generated/validators/schemas';
import { MAX_UNIX_SECONDS } from '../../generated/contract';

const nowSec = 1795000000;
const approval = { type: 'approval', requestId: 'req-1', status: 'approved', timestamp: nowSec };
const rejection = { type: 'rejection', requestId: 'req-1', status: 'rejected', reason: 'no', timestamp: nowSec };
const caseAction = {
  type: 'NOTIFICATION',
  category: 'CASE_ACTION',
  message: '조치 승인됨',
  timestamp: '2026-11-22T09:00:00.000Z',
  tenant_id: 'acme',
  case_id: 'DEMO00001',
  request_id: 'req-1',
  executor_id: 'approver',
  action_type: 'APPROVE',
  approved: true,
  status_code: 'APPROVED',
};
const ragStatus = {
  type: 'NOTIFICATION',
  category: 'RAG_STATUS',
  message: '학습 완료',
  timestamp: '2026-11-22T09:00:00+09:00',
  tenant_id: 'acme',
  rag_document_id: 'rag-1',
  chunks_added: 3,
};
const aiDetect = {
  type: 'NOTIFICATION',
  category: 'AI_DETECT',
  message: '신규 이상 징후 탐지',
  timestamp: '2026-11-22T09:00:00Z',
  tenant_id: 'acme',
  case_id: 'DEMO00003',
  score: 0.9,
  severity: 'HIGH',
};

describe('unix seconds', () => {
  test('seconds pass, milliseconds are rejected everywhere a unix time appears', () => {
    const ms = nowSec * 1000;
    expect(V.HitlSignal(approval)).toBe(true);
    expect(V.HitlSignal({ ...approval, timestamp: ms })).toBe(false);
    expect(V.HitlSignal({ ...rejection, timestamp: ms })).toBe(false);
    expect(V.JwtClaims({ sub: 'u', tenant_id: 't', iat: nowSec, exp: nowSec + 60 })).toBe(true);
    expect(V.JwtClaims({ sub: 'u', tenant_id: 't', iat: ms, exp: ms + 60000 })).toBe(false);
    const record = {
      requestId: 'req-1',
      sessionId: 's-1',
      userId: 'u',
      tenantId: 'acme',
      actionType: 'PAYMENT_BLOCK',
      context: {},
      status: 'pending',
      createdAt: nowSec,
    };
    expect(V.HitlRequestRecord(record)).toBe(true);
    expect(V.HitlRequestRecord({ ...record, createdAt: ms })).toBe(false);
    expect(V.UnixSeconds(MAX_UNIX_SECONDS)).toBe(true);
    expect(V.UnixSeconds(MAX_UNIX_SECONDS + 1)).toBe(false);
    expect(V.UnixSeconds(nowSec + 0.5)).toBe(false);
    expect(V.UnixSeconds(String(nowSec))).toBe(false);
  });
});

describe('ISO timestamps', () => {
  test('an explicit offset is mandatory', () => {
    expect(V.IsoTimestamp('2026-11-22T09:00:00Z')).toBe(true);
    expect(V.IsoTimestamp('2026-02-11T12:00:00.000000+00:00')).toBe(true);
    expect(V.IsoTimestamp('2026-11-22T09:00:00')).toBe(false);
    expect(V.IsoTimestamp('2026-11-22 09:00:00')).toBe(false);
    expect(V.CaseActionNotification({ ...caseAction, timestamp: '2026-11-22T09:00:00' })).toBe(false);
  });
});

describe('identifiers', () => {
  test.each(['DEMO00001', 'req-7f3a9c', 'a.b:c_d-e', 'x'.repeat(128)])('%s is an identifier', (id) => {
    expect(V.Identifier(id)).toBe(true);
  });
  test.each(['', 'has space', 'glob*', 'q?', '[x]', 'line\nbreak', 'cr\r', 'x'.repeat(129), 'tenant/1'])(
    '%j is not an identifier',
    (id) => {
      expect(V.Identifier(id)).toBe(false);
    },
  );
});

describe('NOTIFICATION envelope', () => {
  test('each category validates with its required fields', () => {
    for (const n of [caseAction, ragStatus, aiDetect]) expect(V.WorkbenchNotification(n)).toBe(true);
  });

  test.each([
    ['CASE_ACTION', caseAction, 'status_code'],
    ['CASE_ACTION', caseAction, 'case_id'],
    ['CASE_ACTION', caseAction, 'tenant_id'],
    ['RAG_STATUS', ragStatus, 'chunks_added'],
    ['RAG_STATUS', ragStatus, 'rag_document_id'],
    ['AI_DETECT', aiDetect, 'score'],
    ['AI_DETECT', aiDetect, 'severity'],
  ])('%s without %s is rejected', (_cat, msg, field) => {
    const broken: Record<string, unknown> = { ...msg };
    delete broken[field];
    expect(V.WorkbenchNotification(broken)).toBe(false);
  });

  test('type is the constant NOTIFICATION and category is an enum', () => {
    expect(V.WorkbenchNotification({ ...caseAction, type: 'case_action_completed' })).toBe(false);
    expect(V.WorkbenchNotification({ ...caseAction, category: 'CASE_ACTIONS' })).toBe(false);
  });

  test('a field of another category does not stand in for a missing one', () => {
    const { score: _s, ...noScore } = aiDetect;
    expect(V.WorkbenchNotification({ ...noScore, chunks_added: 1 })).toBe(false);
  });

  test('history_id, fi_doc_updated and unknown fields are tolerated', () => {
    expect(V.WorkbenchNotification({ ...caseAction, history_id: 42, fi_doc_updated: 1, extra: 'x' })).toBe(true);
  });

  test('approved must be a boolean', () => {
    expect(V.WorkbenchNotification({ ...caseAction, approved: 'true' })).toBe(false);
  });
});

describe('HITL signal union', () => {
  test('approval and rejection are told apart by type', () => {
    expect(V.HitlSignal(rejection)).toBe(true);
    const { reason: _r, ...noReason } = rejection;
    expect(V.HitlSignal(noReason)).toBe(false);
    expect(V.HitlSignal({ ...approval, status: 'rejected' })).toBe(false);
    expect(V.HitlSignal({ ...approval, type: 'maybe' })).toBe(false);
  });
});
