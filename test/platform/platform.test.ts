// The whole platform on port 0 against the real Redis and PostgreSQL: every service answers
// its health endpoint through the gateway, and every operation of the spec is routed.
import { operations, type OperationSpec } from '../../generated/server/operations';
import * as V from '../../generated/validators/schemas';
import type { Platform } from '../../src/platform';
import { startTestPlatform } from '../e2e/platform';
import { http } from '../support/http';

let platform: Platform;
let stop: (() => Promise<void>) | undefined;

beforeAll(async () => {
  ({ platform, stop } = await startTestPlatform());
}, 60_000);

afterAll(async () => {
  await stop?.();
});

test.each(['/health', '/api/auth/health', '/api/main/health', '/api/aura/health'])('%s answers UP through the gateway', async (path) => {
  const res = await http('GET', platform.urls.gateway + path);
  expect(res.status).toBe(200);
  expect(V.HealthResponse(res.body)).toBe(true);
  expect(res.body.data.status).toBe('UP');
});

const sample: Record<string, string> = { requestId: 'req-x', sessionId: 'sess-x', caseId: 'CASE-x', runId: 'run-x', streamId: 'st-x' };

test('every operation of the spec is routed to a handler (none is an unknown route)', async () => {
  const unrouted: string[] = [];
  for (const op of Object.values(operations) as OperationSpec[]) {
    if (op.service === 'gateway') continue;
    const path = (op.audience === 'internal' ? op.servicePath : op.path).replace(/\{([A-Za-z0-9_]+)\}/g, (_, n: string) => sample[n] ?? 'x');
    // Direct and internal operations are reached on their service; the rest through the gateway.
    const onService = op.direct || op.audience === 'internal';
    const base = onService ? platform.urls[op.service] : platform.urls.gateway;
    const ac = new AbortController();
    const res = await fetch(base + path, { method: op.method, signal: ac.signal, headers: { 'x-tenant-id': 'acme' } });
    const text = res.headers.get('content-type')?.includes('json') ? await res.text() : '';
    ac.abort();
    const body = text ? JSON.parse(text) : {};
    if ((res.status === 404 && body.errorCode === 'E1004' && /No route/.test(body.message)) || res.status === 405) {
      unrouted.push(`${op.method} ${path} → ${res.status} ${text}`);
    }
  }
  expect(unrouted).toEqual([]);
});

test('the gateway does not route internal operations: from outside they are unknown paths', async () => {
  const internal = (Object.values(operations) as OperationSpec[]).filter((op) => op.audience === 'internal' && !op.direct);
  expect(internal.map((op) => op.operationId).sort()).toEqual(['CreateAnalysisRun', 'RecordAction']);
  for (const op of internal) {
    const path = op.path.replace(/\{([A-Za-z0-9_]+)\}/g, (_, n: string) => sample[n] ?? 'x');
    const res = await http(op.method, platform.urls.gateway + path, { headers: { 'x-tenant-id': 'acme' }, body: {} });
    expect({ op: op.operationId, status: res.status, code: res.body.errorCode }).toEqual({ op: op.operationId, status: 404, code: 'E1004' });
  }
});
