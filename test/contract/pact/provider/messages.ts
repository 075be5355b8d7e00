// Message providers: the real factories that build each message as it is published.
import { MessageProviderPact, type MessageProviders } from '@pact-foundation/pact';
import { encodeCaseActionMessage, encodeHitlChannelMessage, encodeAlertMessage, encodeRagStatusMessage } from '../../../../generated/redis';
import { aiDetectNotification, caseActionNotification, ragStatusNotification, type CaseActionType } from '../../../../src/aura/notifications/messages';
import { decisionSignal } from '../../../../src/main/hitl/messages';
import { unixSeconds } from '../../../../src/shared/time';
import { PACTICIPANTS, pactFile } from '../names';

/** What goes on the wire: the encode helper (validating, as the publishers use it), parsed back. */
const wire = (encoded: string) => JSON.parse(encoded) as Record<string, unknown>;

export function backendSignalProviders(): MessageProviders {
  return {
    'a HITL approval signal': async () => wire(encodeHitlChannelMessage(decisionSignal('req-pact-approve', { status: 'approved', deciderId: 'acme-approver', at: unixSeconds() }))),
    'a HITL rejection signal': async () =>
      wire(encodeHitlChannelMessage(decisionSignal('req-pact-reject', { status: 'rejected', deciderId: 'acme-approver', at: unixSeconds(), reason: 'Not enough evidence' }))),
  };
}

function caseAction(actionType: CaseActionType) {
  return caseActionNotification({ tenantId: 'acme', caseId: 'CASE-2026-0001', requestId: `req-pact-${actionType.toLowerCase()}`, executorId: actionType === 'TIMEOUT' ? 'system' : 'acme-approver', actionType });
}

export function auraNotificationProviders(): MessageProviders {
  return {
    'a CASE_ACTION APPROVE notification': async () => wire(encodeCaseActionMessage(caseAction('APPROVE'))),
    'a CASE_ACTION REJECT notification': async () => wire(encodeCaseActionMessage(caseAction('REJECT'))),
    'a CASE_ACTION TIMEOUT notification': async () => wire(encodeCaseActionMessage(caseAction('TIMEOUT'))),
    'a RAG_STATUS notification': async () => wire(encodeRagStatusMessage(ragStatusNotification('acme', 'rag-doc-1', 12))),
    'an AI_DETECT notification': async () => wire(encodeAlertMessage(aiDetectNotification('acme', 'CASE-2026-0002', 'run-pact-1', 0.91))),
  };
}

export const MESSAGE_PACTS = {
  backend: { provider: PACTICIPANTS.mainMessages, file: pactFile(PACTICIPANTS.aura, PACTICIPANTS.mainMessages) },
  aura: { provider: PACTICIPANTS.auraMessages, file: pactFile(PACTICIPANTS.main, PACTICIPANTS.auraMessages) },
} as const;

export function verifyMessages(which: keyof typeof MESSAGE_PACTS, messageProviders: MessageProviders): Promise<unknown> {
  const p = MESSAGE_PACTS[which];
  return new MessageProviderPact({ provider: p.provider, pactUrls: [p.file], messageProviders, logLevel: 'error' }).verify();
}
