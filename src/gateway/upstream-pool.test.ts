import { UpstreamPool } from './upstream-pool';

describe('UpstreamPool', () => {
  const urls = ['http://127.0.0.1:1001', 'http://127.0.0.1:1002', 'http://127.0.0.1:1003'];
  const ports = (pool: UpstreamPool) => pool.order().map((i) => i.url.port);

  it('rotates the first instance tried', () => {
    const pool = new UpstreamPool('aura', urls, 1000);
    expect([ports(pool)[0], ports(pool)[0], ports(pool)[0], ports(pool)[0]]).toEqual(['1001', '1002', '1003', '1001']);
    pool.destroy();
  });

  it('tries a refused instance last until its retry time has passed', () => {
    let clock = 0;
    const pool = new UpstreamPool('aura', urls, 1000, () => clock);
    pool.markDown(pool.instances[0]);
    expect(ports(pool)).toEqual(['1002', '1003', '1001']);
    expect(ports(pool)).toEqual(['1002', '1003', '1001']);
    clock = 1001;
    expect(ports(pool)).toEqual(['1003', '1001', '1002']);
    pool.markDown(pool.instances[1]);
    pool.markUp(pool.instances[1]);
    expect(ports(pool)).toEqual(['1001', '1002', '1003']);
    pool.destroy();
  });

  it('refuses an empty list or a non-http URL', () => {
    expect(() => new UpstreamPool('aura', [], 1)).toThrow(/no instances/);
    expect(() => new UpstreamPool('aura', ['https://x'], 1)).toThrow(/http/);
  });
});
