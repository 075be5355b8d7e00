import * as V from '../../../generated/validators/schemas';
import { aiDetectNotification, caseActionNotification, ragStatusNotification } from './messages';

describe('notification factories', () => {
  it.each([
    ['APPROVE', '조치 승인됨', 'APPROVED', true],
    ['REJECT', '조치 거절됨', 'REJECTED', false],
    ['TIMEOUT', '조치 보류됨', 'HOLD', false],
  ] as const)('CASE_ACTION %s matches the contract', (actionType, message, status_code, approved) => {
    const n = caseActionNotification({ tenantId: 'acme', caseId: 'C1', requestId: 'r1', executorId: 'u1', actionType, docKey: '1000-1-2026' });
    expect(V.CaseActionNotification(n)).toBe(true);
    expect(V.WorkbenchNotification(n)).toBe(true);
    expect(n).toMatchObject({ message, status_code, approved, tenant_id: 'acme', doc_key: '1000-1-2026' });
    expect(n.timestamp).toMatch(/Z$/);
  });
  it('RAG_STATUS and AI_DETECT match the contract', () => {
    expect(V.RagStatusNotification(ragStatusNotification('acme', 'doc-1', 3))).toBe(true);
    expect(V.AiDetectNotification(aiDetectNotification('acme', 'C1', 'run-1', 0.9))).toBe(true);
  });
});
