// The whole HITL loop as the workbench drives it, through the gateway only, with the generated
// SDK: used by the end-to-end tests (platform on port 0) and by `npm run demo` (a running
// `npm start`). Every response and every SSE event is validated against the spec on the way.
import { HEADERS } from '../../generated/contract';
import type * as S from '../../generated/schemas';
import { DwpClient, type StartAgentStreamEvents, type StreamEvent } from '../../generated/sdk';
import { operations } from '../../generated/sdk/operations';
import { sdkValidation } from '../../generated/sdk/validation';
import { openSse, type SseStream } from '../support/sse';

export type Decision = 'approve' | 'reject' | 'timeout';

export interface LoopOptions {
  gatewayUrl: string;
  /** Who decides (an APPROVER or ADMIN). */
  credentials: { username: string; password: string; tenantId: string };
  /** Who asks Aura about the case; four-eyes keeps the decider from being the same user. */
  requester: { username: string; password: string; tenantId: string };
  caseId: string;
  decision: Decision;
  /** Bound for each wait (stream events, notifications); the timeout loop needs HITL_TIMEOUT_SECONDS more. */
  waitMs?: number;
  onStep?: (step: string, detail?: unknown) => void;
}

export interface LoopResult {
  /** The decider's user id. */
  userId: string;
  requesterId: string;
  streamEvents: StreamEvent<StartAgentStreamEvents>[];
  hitl: S.HitlEvent;
  caseBefore: S.CaseDetail;
  decisionResponse?: S.HitlDecisionResponse;
  pushed: S.NotificationPushEvent;
  listed: S.NotificationItem[];
  caseDetail: S.CaseDetail;
}

export async function runHitlLoop(o: LoopOptions): Promise<LoopResult> {
  const step = o.onStep ?? (() => undefined);
  const waitMs = o.waitMs ?? 20_000;
  const ac = new AbortController();
  let notifications: SseStream | undefined;
  try {
    const anon = new DwpClient({ baseUrl: o.gatewayUrl, validation: sdkValidation, timeoutMs: waitMs });
    const logIn = async (c: LoopOptions['credentials']) => (await anon.login({ body: { username: c.username, password: c.password, tenantId: c.tenantId } })).data;
    const decider = await logIn(o.credentials);
    const { accessToken, userId, tenantId } = decider;
    step('login (decider)', { userId, tenantId, role: decider.role });
    const client = anon.withToken(accessToken, tenantId);
    const asker = await logIn(o.requester);
    step('login (requester)', { userId: asker.userId, role: asker.role });
    const requesterClient = anon.withToken(asker.accessToken, asker.tenantId);

    // The workbench's notification stream is open before anything happens: its response has been
    // received, so the server side is subscribed before we act.
    notifications = openSse(
      `${o.gatewayUrl}${operations.StreamNotifications.path}`,
      { headers: { [HEADERS.AUTHORIZATION]: `Bearer ${accessToken}`, [HEADERS.TENANT_ID]: tenantId, Accept: 'text/event-stream' } },
      'StreamNotifications',
    );
    await notifications.opened(waitMs);
    if (notifications.status !== 200) throw new Error(`StreamNotifications: HTTP ${notifications.status}`);
    step('notifications stream open');

    // The workbench opens the case and hands Aura the case and its document (Aura owns no database).
    const before = (await client.getCase({ params: { caseId: o.caseId } })).data;
    step('case before', { status: before.case.status, document: before.document?.statusCode, docKey: before.case.docKey });

    const streamEvents: StreamEvent<StartAgentStreamEvents>[] = [];
    let hitl: S.HitlEvent | undefined;
    let decisionResponse: S.HitlDecisionResponse | undefined;
    const stream = requesterClient.startAgentStream(
      { body: { prompt: `Review case ${o.caseId} and propose an action`, context: { caseId: o.caseId, docKey: before.case.docKey } } },
      { signal: AbortSignal.any([ac.signal, AbortSignal.timeout(waitMs * 3)]), maxReconnects: 0 },
    );
    // One open stream from start to [DONE]: the decision is taken while it is held open.
    for await (const ev of stream) {
      streamEvents.push(ev);
      step(`stream: ${ev.event}`, ev.event === 'hitl' ? { requestId: ev.data.requestId, actionType: ev.data.actionType } : undefined);
      if (ev.event !== 'hitl') continue;
      hitl = ev.data;
      if (o.decision === 'approve') {
        decisionResponse = await client.approveHitl({ params: { requestId: hitl.requestId }, body: {} });
        step('approved', decisionResponse.data);
      } else if (o.decision === 'reject') {
        decisionResponse = await client.rejectHitl({ params: { requestId: hitl.requestId }, body: { reason: 'Not enough evidence' } });
        step('rejected', decisionResponse.data);
      } else {
        step('waiting for the HITL timeout');
      }
    }
    step('stream: [DONE]');
    if (!hitl) throw new Error('the stream ended without a hitl event');

    const pushedFrame = await notifications.first(
      (f) => {
        const d = f.data as S.NotificationPushEvent;
        return f.event === 'notification' && d.notification.type === 'CASE_ACTION' && (d.notification.payload as { request_id?: string }).request_id === hitl!.requestId;
      },
      `the CASE_ACTION notification of ${hitl.requestId}`,
      waitMs,
    );
    const pushed = pushedFrame.data as S.NotificationPushEvent;
    step('notification pushed', { title: pushed.notification.title, refetch: pushed.refetch });

    // Other suites share this Redis and publish for the same demo tenant: page back through the
    // tenant's notifications (bounded) rather than assume ours is among the newest few.
    const listed: S.NotificationItem[] = [];
    let cursor: string | undefined;
    for (let page = 0; page < 25; page++) {
      const data = (await client.listNotifications({ query: { limit: 200, ...(cursor ? { before: cursor } : {}) } })).data;
      listed.push(...data.items.filter((n) => (n.payload as { request_id?: string }).request_id === hitl!.requestId));
      if (!data.nextBefore || data.items.length === 0) break;
      cursor = data.nextBefore;
    }
    step('notifications list', listed.map((n) => n.title));
    const caseDetail = (await client.getCase({ params: { caseId: o.caseId } })).data;
    step('case', { status: caseDetail.case.status, document: caseDetail.document, actions: caseDetail.actions.length });
    return { userId, requesterId: asker.userId, streamEvents, hitl, caseBefore: before, decisionResponse, pushed, listed, caseDetail };
  } finally {
    notifications?.cut();
    ac.abort();
  }
}
