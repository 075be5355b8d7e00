// Bundled for Chromium by sdk-browser.test.ts: the generated SDK used as a page uses it, with the
// browser's own fetch, Response streams and TextDecoder (none of Node's).
import { approveHitl, DwpApiError, DwpCore, getCase, listCases, login, startAgentStream } from '../../generated/sdk';

export interface SdkRunInput {
  tenantId: string;
  username: string;
  password: string;
  caseId: string;
  /** Who decides the run's HITL request: not the user who asked (four-eyes), one with a deciding role. */
  decider: { username: string; password: string };
}

async function run(input: SdkRunInput) {
  // '' = the page's origin, as the workbench calls it.
  const anon = new DwpCore({ baseUrl: '' });
  const session = await login(anon, { body: { tenantId: input.tenantId, username: input.username, password: input.password } });
  const core = anon.withToken(session.data.accessToken, session.data.tenantId);
  const deciderSession = await login(anon, { body: { tenantId: input.tenantId, username: input.decider.username, password: input.decider.password } });
  const decider = anon.withToken(deciderSession.data.accessToken, deciderSession.data.tenantId);

  const cases = await listCases(core, { query: { limit: 50 } });
  const detail = await getCase(core, { params: { caseId: input.caseId } });

  let notFound: Record<string, unknown> | string = 'no error';
  try {
    await getCase(core, { params: { caseId: 'NO-SUCH-CASE' } });
  } catch (err) {
    notFound =
      err instanceof DwpApiError
        ? { name: err.name, status: err.status, errorCode: err.errorCode, traceId: err.traceId, message: err.envelope?.message }
        : `not a DwpApiError: ${String(err)}`;
  }

  const events: { id: string | undefined; event: string; status?: string }[] = [];
  const states: string[] = [];
  let decision: unknown;
  const stream = startAgentStream(core, { body: { prompt: 'Check this case', context: { caseId: input.caseId } } }, { onState: (s) => states.push(s.state) });
  for await (const ev of stream) {
    events.push({ id: ev.id, event: ev.event, status: (ev.data as { status?: string }).status });
    // Decided while the stream is open: the same stream must carry the outcome to its end.
    if (ev.event === 'hitl') decision = (await approveHitl(decider, { params: { requestId: ev.data.requestId }, body: {} })).data;
  }

  return {
    login: { userId: session.data.userId, tenantId: session.data.tenantId, tokenType: session.data.tokenType },
    caseIds: cases.data.items.map((c) => c.caseId),
    detail: { caseId: detail.data.case.caseId, status: detail.data.case.status },
    notFound,
    events,
    states,
    decision,
  };
}

export type SdkRunResult = Awaited<ReturnType<typeof run>>;

(globalThis as { __sdkTest?: unknown }).__sdkTest = { run };
