import Redis from 'ioredis';
import * as V from '../../generated/validators/schemas';
import { HEADERS } from '../../generated/contract';
import { createApp as createAuthApp } from '../../src/auth/app';
import { createApp as createMainApp } from '../../src/main/app';
import { openDatabase, type Database } from '../../src/shared/db/database';
import { DEMO_USERS, seedDemo } from '../../src/shared/db/seed';
import { testRedisUrl } from '../support/redis';
import { mainConfig, putHitlRequest } from './hitl-fixture';
import { JWT_SECRET } from '../support/auth';
import { http } from '../support/http';
import { listen } from '../support/listen';
import { silentLogger } from './support';

// `npm start` on a fresh machine uses the embedded PGlite: run auth and main on it once.
let database: Database;
let redis: Redis;
const apps: { close(): Promise<unknown> }[] = [];

beforeAll(async () => {
  database = await openDatabase({ dataDir: 'memory://' });
  await seedDemo(database.db);
  redis = new Redis(testRedisUrl());
  // PGlite compiles its WebAssembly and runs every migration in this process: on two busy
  // cores (the browser suite in the other worker) that alone has taken over 30 s.
}, 120_000);
afterAll(async () => {
  for (const a of apps) await a.close();
  redis?.disconnect();
  await database?.close();
});

it('logs in on the auth server and decides a HITL request on the main service, both on PGlite', async () => {
  expect(database.kind).toBe('pglite');
  const auth = createAuthApp({ config: { host: '127.0.0.1', port: 0, jwtSecret: JWT_SECRET, tokenTtlSeconds: 600, pgliteDir: 'memory://', responseValidation: 1 }, logger: silentLogger, db: database.db, dbKind: database.kind });
  const main = createMainApp({ config: mainConfig(), logger: silentLogger, db: database.db, dbKind: database.kind, redis });
  apps.push(auth, main);
  const authUrl = await listen(auth);
  const mainUrl = await listen(main);

  const approver = DEMO_USERS.find((u) => u.role === 'APPROVER')!;
  const login = await http('POST', `${authUrl}/auth/login`, { body: { username: approver.username, password: approver.password, tenantId: 'acme' } });
  expect(login.status).toBe(200);
  const headers = { [HEADERS.AUTHORIZATION]: `Bearer ${login.body.data.accessToken}`, [HEADERS.TENANT_ID]: 'acme' };

  const cases = await http('GET', `${mainUrl}/main/cases`, { headers });
  expect(V.CaseListResponse(cases.body)).toBe(true);
  expect(cases.body.data.items).toHaveLength(5);

  const rec = await putHitlRequest(redis, { context: { caseId: 'CASE-2026-0001', docKey: '1000-5100000187-2026' } });
  const r = await http('POST', `${mainUrl}/aura/hitl/approve/${rec.requestId}`, { headers });
  expect(r.status).toBe(200);
  const detail = await http('GET', `${mainUrl}/main/cases/CASE-2026-0001`, { headers });
  expect(V.CaseDetailResponse(detail.body)).toBe(true);
  expect(detail.body.data.document.statusCode).toBe('APPROVED');
  expect(detail.body.data.actions).toEqual([expect.objectContaining({ requestId: rec.requestId, executorId: approver.userId })]);
  const notes = await http('GET', `${mainUrl}/main/notifications`, { headers });
  expect(V.NotificationListResponse(notes.body)).toBe(true);
  expect(notes.body.data.items[0]).toMatchObject({ type: 'CASE_ACTION', caseId: 'CASE-2026-0001' });
});
