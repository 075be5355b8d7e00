import type { ServiceApp } from '../../src/shared/http/service-app';
import Redis from 'ioredis';
import {
  encodeHitlRequestRecord,
  encodeHitlSessionRecord,
  HITL_REQUEST_TTL_SECONDS,
  HITL_SESSION_TTL_SECONDS,
  hitlChannelAddress,
  hitlRequestKey,
  hitlSessionKey,
} from '../../generated/redis';
import type * as S from '../../generated/schemas';
import { createApp, type MainDeps } from '../../src/main/app';
import { loadMainConfig } from '../../src/main/config';
import { openDatabase, type Database } from '../../src/shared/db/database';
import { seedDemo } from '../../src/shared/db/seed';
import { newId } from '../../src/shared/ids';
import { unixSeconds } from '../../src/shared/time';
import { createTestDatabase, type TestDatabase } from '../support/pg';
import { testRedisUrl } from '../support/redis';
import { JWT_SECRET } from '../support/auth';
import { listen } from '../support/listen';
import { silentLogger } from './support';

export function mainConfig(extra: Record<string, string> = {}) {
  return loadMainConfig({ JWT_SECRET, REDIS_URL: testRedisUrl(), AURA_RECORD_ACTION: 'false', ...extra });
}

export interface MainFixture {
  tdb: TestDatabase;
  database: Database;
  redis: Redis;
  apps: ServiceApp[];
  start(overrides?: Partial<MainDeps>): Promise<string>;
  close(): Promise<void>;
}

/** A fresh PostgreSQL database with the demo seed, the real Redis, main apps on port 0. */
export async function mainFixture(): Promise<MainFixture> {
  const tdb = await createTestDatabase();
  const database = await openDatabase({ databaseUrl: tdb.url });
  await seedDemo(database.db);
  const redis = new Redis(testRedisUrl());
  const apps: ServiceApp[] = [];
  return {
    tdb,
    database,
    redis,
    apps,
    async start(overrides = {}) {
      const app = createApp({ config: mainConfig(), logger: silentLogger, db: database.db, dbKind: database.kind, redis, ...overrides });
      apps.push(app);
      return listen(app);
    },
    async close() {
      for (const a of apps) await a.close();
      redis.disconnect();
      await database.close();
      await tdb.drop();
    },
  };
}

/** Acts as Aura: writes `hitl:request` and `hitl:session` with the generated helpers. */
export async function putHitlRequest(
  redis: Redis,
  o: { tenantId?: string; context?: S.HitlContext; requestId?: string; sessionId?: string } = {},
): Promise<S.HitlRequestRecord> {
  const record: S.HitlRequestRecord = {
    requestId: o.requestId ?? newId('req'),
    sessionId: o.sessionId ?? newId('sess'),
    userId: 'acme-requester',
    tenantId: o.tenantId ?? 'acme',
    actionType: 'PAYMENT_BLOCK',
    message: 'Block the duplicate payment?',
    context: o.context ?? { caseId: 'CASE-2026-0001', docKey: '1000-5100000187-2026' },
    status: 'pending',
    createdAt: unixSeconds(),
  };
  await redis.set(hitlRequestKey({ requestId: record.requestId }), encodeHitlRequestRecord(record), 'EX', HITL_REQUEST_TTL_SECONDS);
  const session: S.HitlSessionRecord = { sessionId: record.sessionId, requestId: record.requestId, userId: record.userId, tenantId: record.tenantId };
  await redis.set(hitlSessionKey({ sessionId: record.sessionId }), encodeHitlSessionRecord(session), 'EX', HITL_SESSION_TTL_SECONDS);
  return record;
}

/**
 * A real subscriber on a session's channel. `settle()` publishes a sentinel after the calls under
 * test have answered and waits for it: everything published before it has then been received.
 */
export async function channelSpy(sessionId: string) {
  const sub = new Redis(testRedisUrl());
  const pub = new Redis(testRedisUrl());
  const channel = hitlChannelAddress({ sessionId });
  const messages: string[] = [];
  let waiting: { token: string; resolve: () => void } | undefined;
  sub.on('message', (_c: string, m: string) => {
    if (waiting && m === waiting.token) return waiting.resolve();
    messages.push(m);
  });
  await sub.subscribe(channel);
  return {
    messages,
    async settle() {
      const token = `sentinel-${newId('s')}`;
      const seen = new Promise<void>((resolve) => (waiting = { token, resolve }));
      await pub.publish(channel, token);
      await seen;
    },
    close() {
      sub.disconnect();
      pub.disconnect();
    },
  };
}
