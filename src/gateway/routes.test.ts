import { operations } from '../../generated/server/operations';
import { isPublic, isUpload, resolveRoute } from './routes';

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

  it('allows the larger upload limit only for RAG documents', () => {
    expect(isUpload('/api/aura/rag/documents')).toBe(true);
    expect(isUpload('/api/aura/test/stream')).toBe(false);
  });
});
