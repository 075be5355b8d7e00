import { encodeHitlChannelMessage, encodeHitlRequestRecord } from '../../../generated/redis';
import type * as S from '../../../generated/schemas';
import * as V from '../../../generated/validators/schemas';
import { ledgerEntry } from '../case-actions/entry';
import { caseActionMessage } from '../case-actions/message';
import { decidedRecord, decisionSignal, storedDecision } from './messages';

const record: S.HitlRequestRecord = {
  requestId: 'req-1',
  sessionId: 'sess-1',
  userId: 'u',
  tenantId: 'acme',
  actionType: 'PAYMENT_BLOCK',
  context: { caseId: 'CASE-1', docKey: '1000-1-2026', extra: [1, 2] },
  status: 'pending',
  createdAt: 1795000000,
};

it('builds contract-valid records, signals and CASE_ACTION messages for both decisions', () => {
  for (const d of [
    { status: 'approved' as const, deciderId: 'a', at: 1795000100 },
    { status: 'rejected' as const, deciderId: 'b', at: 1795000100, reason: 'no' },
  ]) {
    const rec = decidedRecord(record, d);
    expect(() => encodeHitlRequestRecord(rec)).not.toThrow();
    expect(rec.context).toEqual(record.context);
    expect(storedDecision(rec)).toEqual(d);
    const sig = decisionSignal('req-1', d);
    expect(() => encodeHitlChannelMessage(sig)).not.toThrow();
    expect(sig.timestamp).toBe(1795000100);
    const entry = ledgerEntry(rec, d);
    expect(entry).toMatchObject({ caseId: 'CASE-1', docKey: '1000-1-2026', executorId: d.deciderId });
    const msg = caseActionMessage({ ...entry, caseId: 'CASE-1' }, { historyId: 1, documentUpdated: true });
    expect(V.CaseActionNotification(msg)).toBe(true);
    expect(msg.timestamp).toBe('2026-11-18T11:08:20.000Z');
  }
  expect(storedDecision(record)).toBeUndefined();
  expect(decisionSignal('r', { status: 'rejected', deciderId: 'x', at: 1 })).toMatchObject({ reason: '' });
});
