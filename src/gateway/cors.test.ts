import { createCors } from './cors';

describe('cors', () => {
  const cors = createCors(['http://localhost:4200', 'http://localhost:3000']);

  it('answers a preflight from an allowed origin with the contract headers', () => {
    const d = cors.decide('OPTIONS', { origin: 'http://localhost:4200', 'access-control-request-method': 'POST' });
    expect(d.kind).toBe('preflight');
    if (d.kind !== 'preflight') return;
    expect(d.allowed).toBe(true);
    expect(d.headers['access-control-allow-origin']).toBe('http://localhost:4200');
    const allowed = String(d.headers['access-control-allow-headers']).split(', ');
    for (const h of ['Last-Event-ID', 'X-Agent-ID', 'X-Tenant-ID', 'X-User-ID', 'X-DWP-Source', 'X-DWP-Caller-Type', 'Authorization']) {
      expect(allowed).toContain(h);
    }
  });

  it('refuses a preflight from another origin', () => {
    const d = cors.decide('OPTIONS', { origin: 'http://evil.example', 'access-control-request-method': 'POST' });
    expect(d).toMatchObject({ kind: 'preflight', allowed: false });
    if (d.kind === 'preflight') expect(d.headers['access-control-allow-origin']).toBeUndefined();
  });

  it('exposes X-Trace-Id on actual requests from allowed origins only', () => {
    const d = cors.decide('GET', { origin: 'http://localhost:3000' });
    expect(d.kind === 'actual' && String(d.headers['access-control-expose-headers']).split(', ')).toContain('X-Trace-Id');
    const other = cors.decide('GET', { origin: 'http://evil.example' });
    expect(other.kind === 'actual' && other.headers['access-control-allow-origin']).toBeUndefined();
  });

  it('does nothing without an Origin, and OPTIONS without a request method is not a preflight', () => {
    expect(cors.decide('GET', {})).toEqual({ kind: 'none' });
    expect(cors.decide('OPTIONS', { origin: 'http://localhost:3000' }).kind).toBe('actual');
  });

  it('accepts any origin with *', () => {
    const d = createCors(['*']).decide('GET', { origin: 'http://x.example' });
    expect(d.kind === 'actual' && d.headers['access-control-allow-origin']).toBe('http://x.example');
  });
});
