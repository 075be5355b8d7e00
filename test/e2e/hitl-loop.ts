// The whole HITL loop as the workbench drives it, through the gateway only, with the generated
// SDK: used by the end-to-end tests (platform on port 0) and by `npm run demo` (a running
// `npm start`). Every response and every SSE event is validated against the spec on the way.
import { createParser } from 'eventsource-parser';
import { HEADERS, SSE_DONE } from '../../generated/contract';
import type * as S from '../../generated/schemas';
import { DwpClient, type StartAgentStreamEvents, type StreamEvent } from '../../generated/sdk';
import { operations } from '../../generated/sdk/operations';
import { sdkValidation } from '../../generated/sdk/validation';

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

interface Frame {
  id?: string;
  event: string;
  data: unknown;
}

/**
 * An SSE subscription whose HTTP response has been received (so the server side is subscribed
 * before we act), with every frame validated against the operation's event schemas.
 */
async function openValidatedStream(url: string, headers: Record<string, string>, operationId: keyof typeof operations, signal: AbortSignal) {
  const res = await fetch(url, { headers: { ...headers, Accept: 'text/event-stream' }, signal });
  if (!res.ok || !res.body) throw new Error(`${operationId}: HTTP ${res.status} ${await res.text()}`);
  const validators = sdkValidation.events?.[operationId] ?? {};
  const frames: Frame[] = [];
  const waiters = new Set<() => void>();
  let failure: Error | undefined;
  const parser = createParser({
    onEvent: (m) => {
      if (m.data === SSE_DONE) return;
      const data: unknown = JSON.parse(m.data);
      const v = validators[m.event ?? 'message'];
      if (!v || !v(data)) failure ??= new Error(`${operationId}: event ${m.event} off contract: ${JSON.stringify(v?.errors)} ${m.data}`);
      frames.push({ id: m.id, event: m.event ?? 'message', data });
      for (const w of waiters) w();
    },
  });
  void (async () => {
    const reader = res.body!.getReader();
    const dec = new TextDecoder();
    try {
      for (;;) {
        const { done, value } = await reader.read();
        if (done) break;
        parser.feed(dec.decode(value, { stream: true }));
      }
    } catch {
      /* aborted */
    }
  })();
  return {
    /** The first frame matching `pred`, waiting for it at most `ms`. */
    async next(pred: (f: Frame) => boolean, ms: number): Promise<Frame> {
      const deadline = Date.now() + ms;
      for (;;) {
        if (failure) throw failure;
        const f = frames.find(pred);
        if (f) return f;
        const left = deadline - Date.now();
        if (left <= 0) throw new Error(`${operationId}: no matching event within ${ms} ms; got ${JSON.stringify(frames)}`);
        await new Promise<void>((resolve) => {
          const t = setTimeout(done, left);
          function done() {
            clearTimeout(t);
            waiters.delete(done);
            resolve();
          }
          waiters.add(done);
        });
      }
    },
  };
}

export async function runHitlLoop(o: LoopOptions): Promise<LoopResult> {
  const step = o.onStep ?? (() => undefined);
  const waitMs = o.waitMs ?? 20_000;
  const ac = new AbortController();
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

    // The workbench's notification stream is open before anything happens.
    const notifications = await openValidatedStream(
      `${o.gatewayUrl}${operations.StreamNotifications.path}`,
      { [HEADERS.AUTHORIZATION]: `Bearer ${accessToken}`, [HEADERS.TENANT_ID]: tenantId },
      'StreamNotifications',
      ac.signal,
    );
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

    const pushedFrame = await notifications.next((f) => {
      const d = f.data as S.NotificationPushEvent;
      return f.event === 'notification' && d.notification.type === 'CASE_ACTION' && (d.notification.payload as { request_id?: string }).request_id === hitl!.requestId;
    }, waitMs);
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
    ac.abort();
  }
}
