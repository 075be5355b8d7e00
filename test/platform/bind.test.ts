// Services listen on the loopback unless a `*_HOST` opens them: from another interface of this
// machine the auth, main and Aura services (and the gateway) cannot be reached around the gateway.
import net from 'node:net';
import os from 'node:os';
import { startPlatform, type Platform } from '../../src/platform';
import { createTestDatabase } from '../support/pg';
import { testRedisUrl } from '../support/redis';

/** An IPv4 address of this machine that is not the loopback: what "from the network" reaches. */
function externalAddress(): string {
  const found = Object.values(os.networkInterfaces())
    .flat()
    .find((i) => i && i.family === 'IPv4' && !i.internal);
  if (!found) throw new Error('this machine has no non-loopback IPv4 interface to probe the bind address from');
  return found.address;
}

function reachable(host: string, port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = net.connect({ host, port });
    s.once('connect', () => (s.destroy(), resolve(true)));
    s.once('error', () => resolve(false));
  });
}

async function withPlatform(env: Record<string, string>, fn: (p: Platform) => Promise<void>): Promise<void> {
  const db = await createTestDatabase();
  const platform = await startPlatform(
    { NODE_ENV: 'test', DATABASE_URL: db.url, REDIS_URL: testRedisUrl(), JWT_SECRET: 'bind-test-secret-'.padEnd(40, 'x'), GATEWAY_PORT: '0', AUTH_PORT: '0', MAIN_PORT: '0', AURA_PORT: '0', ...env },
    { seed: false, logLevel: 'silent' },
  );
  try {
    await fn(platform);
  } finally {
    await platform.close();
    await db.drop();
  }
}

const portOf = (url: string) => Number(new URL(url).port);

test('by default every service listens on 127.0.0.1 only', async () => {
  const external = externalAddress();
  await withPlatform({}, async (p) => {
    for (const [name, url] of Object.entries(p.urls)) {
      expect({ name, loopback: await reachable('127.0.0.1', portOf(url)) }).toEqual({ name, loopback: true });
      expect({ name, external: await reachable(external, portOf(url)) }).toEqual({ name, external: false });
    }
  });
}, 60_000);

test('a *_HOST opens that service, and only that one', async () => {
  const external = externalAddress();
  await withPlatform({ GATEWAY_HOST: '0.0.0.0' }, async (p) => {
    expect(await reachable(external, portOf(p.urls.gateway))).toBe(true);
    for (const name of ['auth', 'main', 'aura'] as const) {
      expect({ name, external: await reachable(external, portOf(p.urls[name])) }).toEqual({ name, external: false });
    }
  });
}, 60_000);
