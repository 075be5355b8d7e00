import { ConfigError, jwtSecret, port } from './env';

test('production refuses a missing or short JWT_SECRET', () => {
  expect(() => jwtSecret({ NODE_ENV: 'production' })).toThrow(ConfigError);
  expect(() => jwtSecret({ NODE_ENV: 'production', JWT_SECRET: 'short' })).toThrow(/at least 32 bytes/);
  expect(jwtSecret({ NODE_ENV: 'production', JWT_SECRET: 'p'.repeat(32) })).toBe('p'.repeat(32));
});

test('development generates one secret, warns, and shares it through env', () => {
  const env: Record<string, string | undefined> = {};
  const warnings: string[] = [];
  const s = jwtSecret(env, (m) => warnings.push(m));
  expect(Buffer.byteLength(s)).toBeGreaterThanOrEqual(32);
  expect(env.JWT_SECRET).toBe(s);
  expect(jwtSecret(env)).toBe(s);
  expect(warnings).toHaveLength(1);
});

test('ports are validated', () => {
  expect(port({}, 'AURA_PORT', 9000)).toBe(9000);
  expect(port({ AURA_PORT: '0' }, 'AURA_PORT', 9000)).toBe(0);
  expect(() => port({ AURA_PORT: 'abc' }, 'AURA_PORT', 9000)).toThrow(ConfigError);
});
