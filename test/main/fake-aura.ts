import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type * as S from '../../generated/schemas';
import * as V from '../../generated/validators/schemas';
import { authenticate } from '../../src/shared/auth/authenticate';
import { isServiceCaller } from '../../src/shared/auth/service-token';
import { errorEnvelope, ok } from '../../src/shared/envelope';
import type { ApiError } from '../../src/shared/errors';
import { JWT_SECRET } from '../support/auth';
import { formatFrame } from '../../src/shared/http/sse';

/**
 * A stand-in for Aura (built concurrently by another engineer) that holds the main service to the
 * spec: every request it receives is validated against openapi.yaml, every answer and event it
 * sends is validated too.
 */
export interface FakeAura {
  url: string;
  runRequests: { caseId: string; body: S.AnalysisRunRequest; headers: IncomingMessage['headers'] }[];
  records: S.RecordActionRequest[];
  invalid: unknown[];
  /** Completed-event result per run (default score 0.91 / HIGH). */
  result: { score: number; severity: S.Severity };
  /** Answer the next N RecordAction calls with 503. */
  failRecords: number;
  close(): Promise<void>;
}

async function readBody(req: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  for await (const c of req) chunks.push(c as Buffer);
  return JSON.parse(Buffer.concat(chunks).toString('utf8') || 'null');
}

function must(v: ((x: unknown) => boolean) & { errors?: unknown }, x: unknown): void {
  if (!v(x)) throw new Error(`fake Aura would send off-contract data: ${JSON.stringify(v.errors)}`);
}

export async function startFakeAura(): Promise<FakeAura> {
  const fake: Omit<FakeAura, 'url' | 'close'> = { runRequests: [], records: [], invalid: [], result: { score: 0.91, severity: 'HIGH' }, failRecords: 0 };
  const server: Server = createServer(async (req, res) => {
    const json = (status: number, body: unknown) => {
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(JSON.stringify(body));
    };
    try {
      const url = new URL(req.url!, 'http://x');
      // The header/JWT contract as real Aura applies it (the same `authenticate`): a token the
      // backend signed wrongly (secret, tenant, claims) is refused here too.
      let auth;
      try {
        auth = authenticate(req.headers, JWT_SECRET);
      } catch (err) {
        const e = err as ApiError;
        return json(e.status ?? 401, errorEnvelope(e.code ?? 'E2000', e.message));
      }
      // Internal operations take the backend's service credential, as real Aura requires.
      const internal = (url.pathname === '/aura/action/record' || /^\/aura\/cases\/[^/]+\/analysis-runs$/.test(url.pathname)) && req.method === 'POST';
      if (internal && !isServiceCaller(auth)) return json(403, errorEnvelope('E1003', 'service credential required'));
      let m = /^\/aura\/cases\/([^/]+)\/analysis-runs$/.exec(url.pathname);
      if (m && req.method === 'POST') {
        const body = await readBody(req);
        if (!V.AnalysisRunRequest(body)) {
          fake.invalid.push({ body, errors: V.AnalysisRunRequest.errors });
          return json(400, errorEnvelope('E4000', 'Validation failed', { errors: V.AnalysisRunRequest.errors }));
        }
        const caseId = decodeURIComponent(m[1]!);
        fake.runRequests.push({ caseId, body: body as S.AnalysisRunRequest, headers: req.headers });
        const runId = (body as S.AnalysisRunRequest).runId;
        const accepted: S.AnalysisRunAccepted = { status: 'ACCEPTED', caseId, runId, streamUrl: `/api/aura/analysis-runs/${runId}/stream`, message: 'Analysis run accepted' };
        must(V.AnalysisRunAccepted, accepted);
        return json(202, accepted);
      }
      m = /^\/aura\/analysis-runs\/([^/]+)\/stream$/.exec(url.pathname);
      if (m && req.method === 'GET') {
        const runId = decodeURIComponent(m[1]!);
        const run = fake.runRequests.find((r) => r.body.runId === runId);
        if (!run) return json(404, errorEnvelope('E1004', 'no run'));
        res.writeHead(200, { 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-cache' });
        const started: S.RunStartedEvent = { runId, caseId: run.caseId, at: Math.floor(Date.now() / 1000) };
        const completed: S.RunCompletedEvent = { status: 'COMPLETED', runId, caseId: run.caseId, summary: 'Duplicate invoice', ...fake.result };
        must(V.RunStartedEvent, started);
        must(V.RunCompletedEvent, completed);
        res.write(formatFrame('started', JSON.stringify(started), `${runId}:1`));
        res.write(formatFrame('completed', JSON.stringify(completed), `${runId}:2`));
        res.end('data: [DONE]\n\n');
        return;
      }
      if (url.pathname === '/aura/action/record' && req.method === 'POST') {
        const body = await readBody(req);
        if (!V.RecordActionRequest(body)) {
          fake.invalid.push({ body, errors: V.RecordActionRequest.errors });
          return json(400, errorEnvelope('E4000', 'Validation failed'));
        }
        if (fake.failRecords > 0) {
          fake.failRecords--;
          return json(503, errorEnvelope('E1000', 'busy', null));
        }
        const first = !fake.records.some((r) => r.request_id === (body as S.RecordActionRequest).request_id);
        fake.records.push(body as S.RecordActionRequest);
        return json(200, ok({ ok: true, logged: first }));
      }
      json(404, errorEnvelope('E1004', 'not found'));
    } catch (err) {
      json(500, errorEnvelope('E1000', (err as Error).message));
    }
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as AddressInfo).port;
  return Object.assign(fake, {
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((r) => {
        server.closeAllConnections();
        server.close(() => r());
      }),
  });
}
