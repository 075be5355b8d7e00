import { operations, type OperationSpec } from '../../generated/server/operations';
import { bodyLimitOf, buildRoutes, isPublic, resolveRoute, ROUTES } from './routes';

// A concrete path for a spec path template.
const concrete = (path: string) => path.replace(/\{[^}]+\}/g, 'x-1');

describe('routes', () => {
  const routed = Object.values(operations).filter((op) => !op.direct && op.service !== 'gateway');

  it('routes every operation of the contract to its x-service, as the path the service serves', () => {
    expect(routed.length).toBeGreaterThan(10);
    for (const op of routed) {
      const route = resolveRoute(concrete(op.path));
      expect({ op: op.operationId, upstream: route?.upstream, path: route?.forwardPath }).toEqual({
        op: op.operationId,
        upstream: op.service,
        path: concrete(op.servicePath),
      });
    }
  });

  it('sends /api/aura/hitl/** to the main service before /api/aura/** goes to Aura', () => {
    expect(resolveRoute('/api/aura/hitl/approve/r1')?.upstream).toBe('main');
    expect(resolveRoute('/api/aura/hitlx')?.upstream).toBe('aura');
    expect(resolveRoute('/api/aura/test/stream')?.upstream).toBe('aura');
  });

  it('has no route for paths outside the table or for direct operations', () => {
    for (const p of ['/', '/api', '/api/', '/api/other/x', '/aura/hitl/requests/x', '/apix/aura/x', '/api/authx']) {
      expect(resolveRoute(p)).toBeNull();
    }
  });

  it('knows the public operations exactly, and nothing below them', () => {
    expect(isPublic('POST', '/api/auth/login')).toBe(true);
    expect(isPublic('GET', '/api/aura/health')).toBe(true);
    expect(isPublic('HEAD', '/api/main/health')).toBe(true);
    expect(isPublic('GET', '/api/auth/login')).toBe(false);
    expect(isPublic('GET', '/api/auth/me')).toBe(false);
    expect(isPublic('POST', '/api/auth/login/x')).toBe(false);
    expect(isPublic('GET', '/api/aura/health/../hitl/requests/x')).toBe(false);
  });

  it('builds the prefix table from x-service: /api/<service>/, and the shortest prefix another service needs below it', () => {
    expect(ROUTES).toEqual([
      { prefix: '/api/aura/hitl/', upstream: 'main' },
      { prefix: '/api/aura/', upstream: 'aura' },
      { prefix: '/api/auth/', upstream: 'auth' },
      { prefix: '/api/main/', upstream: 'main' },
    ]);
    const op = (operationId: string, service: OperationSpec['service'], path: string) => ({ operationId, service, path }) as OperationSpec;
    expect(() => buildRoutes([op('A', 'aura', '/api/aura/x/{id}'), op('M', 'main', '/api/aura/x/{id}')])).toThrow(/no path prefix only main serves/);
    expect(() => buildRoutes([op('O', 'main', '/api/other/x')])).toThrow(/not under \/api\/<service>\//);
  });

  it('allows the larger upload limit (x-body-limit) only for RAG documents', () => {
    expect(bodyLimitOf('/api/aura/rag/documents')).toBe('upload');
    expect(bodyLimitOf('/api/aura/test/stream')).toBe('default');
  });
});
