import { type GatewayHandlers, gatewayOperationIds, operations } from '../../generated/server/operations';
import type { GatewayContext } from './context';
import { createOwnOperations } from './own-operations';

const concrete = (path: string) => path.replace(/\{[^}]+\}/g, 'x-1');

// Each handler answers its own operation id, so a match can be checked by calling it.
const handlers = Object.fromEntries(
  gatewayOperationIds.map((id) => [id, async () => ({ status: 200, body: id })]),
) as unknown as GatewayHandlers<GatewayContext>;
const ctx: GatewayContext = { traceId: 't', gatewayRequestId: 'g', method: 'GET' };

describe('the gateway operations', () => {
  const own = createOwnOperations(handlers);

  it('finds every x-service: gateway operation of the contract at its path, with its parameters', async () => {
    expect(gatewayOperationIds.length).toBeGreaterThanOrEqual(10);
    for (const id of gatewayOperationIds) {
      const op = operations[id];
      const m = own.match(concrete(op.path));
      expect(m).not.toBeNull();
      const entry = m!.byMethod.get(op.method)!;
      expect(entry.op.operationId).toBe(id);
      expect((await entry.handler({ params: m!.params, query: {}, headers: {}, body: undefined }, ctx)).body).toBe(id);
      const names = [...op.path.matchAll(/\{([^}]+)\}/g)].map((x) => x[1]);
      expect(m!.params).toEqual(Object.fromEntries(names.map((n) => [n, 'x-1'])));
      expect(m!.allow).toBe('GET, HEAD');
    }
  });

  it('a parameter is one path segment; other paths are not the gateway’s', () => {
    expect(own.match('/assets/a/b.js')).toBeNull();
    expect(own.match('/api/docs/asyncapi/css')).toBeNull();
    expect(own.match('/api/docs/asyncapi/css/a/b.css')).toBeNull();
    expect(own.match('/health/')).toBeNull();
    expect(own.match('/api/main/cases')).toBeNull();
    expect(own.match('/api/docs/asyncapi/css/a.css')?.params).toEqual({ folder: 'css', file: 'a.css' });
  });
});
