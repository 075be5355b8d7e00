import { HEADERS } from '../../generated/contract';
import { isApiError } from '../shared/errors';
import {
  checkRawHeaders,
  checkRequestHeaders,
  contractHeaders,
  downstreamResponseHeaders,
  traceIdFrom,
  upstreamRequestHeaders,
} from './headers';

const lc = (s: string) => s.toLowerCase();

function codeOf(fn: () => unknown): string | undefined {
  try {
    fn();
    return undefined;
  } catch (err) {
    return isApiError(err) ? err.code : 'not an ApiError';
  }
}

describe('checkRequestHeaders', () => {
  it('refuses a second X-Tenant-ID, Authorization or X-User-ID', () => {
    for (const name of [HEADERS.TENANT_ID, HEADERS.AUTHORIZATION, HEADERS.USER_ID, HEADERS.LAST_EVENT_ID]) {
      expect(codeOf(() => checkRequestHeaders({ [lc(name)]: ['a', 'b'] }))).toBe('E1001');
    }
  });
  it('allows repeated list headers such as Accept', () => {
    expect(codeOf(() => checkRequestHeaders({ accept: ['a', 'b'], [lc(HEADERS.TENANT_ID)]: ['t1'] }))).toBeUndefined();
  });
  it('refuses control characters in values but allows tabs', () => {
    expect(codeOf(() => checkRequestHeaders({ 'x-a': ['a\u0000b'] }))).toBe('E1001');
    expect(codeOf(() => checkRequestHeaders({ 'x-a': ['a\nb'] }))).toBe('E1001');
    expect(codeOf(() => checkRequestHeaders({ 'x-a': ['a\tb'] }))).toBeUndefined();
  });
});

describe('checkRawHeaders (the same rules on rawHeaders)', () => {
  it('refuses a second single-valued header whatever its case, allows repeated list headers', () => {
    for (const name of [HEADERS.TENANT_ID, HEADERS.AUTHORIZATION, HEADERS.USER_ID, HEADERS.LAST_EVENT_ID, 'Host']) {
      expect(codeOf(() => checkRawHeaders([name, 'a', lc(name), 'b']))).toBe('E1001');
    }
    expect(codeOf(() => checkRawHeaders(['Accept', 'a', 'accept', 'b', HEADERS.TENANT_ID, 't1']))).toBeUndefined();
  });
  it('refuses control characters in values but allows tabs', () => {
    expect(codeOf(() => checkRawHeaders(['X-A', 'a\u0000b']))).toBe('E1001');
    expect(codeOf(() => checkRawHeaders(['X-A', 'a\u007fb']))).toBe('E1001');
    expect(codeOf(() => checkRawHeaders(['X-A', 'a\tb']))).toBeUndefined();
  });
});

describe('contractHeaders', () => {
  it('defaults X-DWP-Source to FRONTEND and X-DWP-Caller-Type to USER', () => {
    expect(contractHeaders({})).toEqual({ source: 'FRONTEND', callerType: 'USER' });
  });
  it('keeps valid values and the agent id', () => {
    expect(
      contractHeaders({ [lc(HEADERS.DWP_SOURCE)]: 'AURA', [lc(HEADERS.DWP_CALLER_TYPE)]: 'AGENT', [lc(HEADERS.AGENT_ID)]: 'ag-1' }),
    ).toEqual({ source: 'AURA', callerType: 'AGENT', agentId: 'ag-1' });
  });
  it('refuses values outside the enums with per-field errors', () => {
    try {
      contractHeaders({ [lc(HEADERS.DWP_SOURCE)]: 'EVIL', [lc(HEADERS.DWP_CALLER_TYPE)]: 'ROOT', [lc(HEADERS.AGENT_ID)]: 'a b' });
      throw new Error('no error');
    } catch (err) {
      expect(isApiError(err) && err.code).toBe('E4000');
      expect((err as { data: { errors: unknown[] } }).data.errors).toHaveLength(3);
    }
  });
});

describe('upstreamRequestHeaders', () => {
  const ctx = {
    upstreamHost: '127.0.0.1:9000',
    clientIp: '10.0.0.5',
    source: 'FRONTEND',
    callerType: 'USER',
    traceId: 'trace-1',
    gatewayRequestId: 'gw-1',
    userId: 'alice',
    bodyLength: 12,
  };

  it('drops hop-by-hop headers, including those named in Connection', () => {
    const out = upstreamRequestHeaders(
      {
        connection: 'keep-alive, x-secret-hop',
        'keep-alive': 'timeout=5',
        'x-secret-hop': '1',
        te: 'trailers',
        'transfer-encoding': 'chunked',
        upgrade: 'websocket',
        'proxy-connection': 'keep-alive',
        host: 'gateway.example',
        accept: 'text/event-stream',
      },
      ctx,
    );
    expect(out).toEqual({
      accept: 'text/event-stream',
      host: '127.0.0.1:9000',
      [lc(HEADERS.DWP_SOURCE)]: 'FRONTEND',
      [lc(HEADERS.DWP_CALLER_TYPE)]: 'USER',
      [lc(HEADERS.TRACE_ID)]: 'trace-1',
      [lc(HEADERS.GATEWAY_REQUEST_ID)]: 'gw-1',
      [lc(HEADERS.USER_ID)]: 'alice',
      'content-length': '12',
      'x-forwarded-for': '10.0.0.5',
    });
  });

  it('propagates the standard headers and overrides what the gateway owns', () => {
    const out = upstreamRequestHeaders(
      {
        [lc(HEADERS.TENANT_ID)]: 't1',
        [lc(HEADERS.AGENT_ID)]: 'ag',
        [lc(HEADERS.LAST_EVENT_ID)]: 's1:4',
        [lc(HEADERS.AUTHORIZATION)]: 'Bearer x',
        [lc(HEADERS.GATEWAY_REQUEST_ID)]: 'forged',
        'x-forwarded-for': '1.2.3.4',
      },
      { ...ctx, bodyLength: 0 },
    );
    expect(out[lc(HEADERS.TENANT_ID)]).toBe('t1');
    expect(out[lc(HEADERS.AGENT_ID)]).toBe('ag');
    expect(out[lc(HEADERS.LAST_EVENT_ID)]).toBe('s1:4');
    expect(out[lc(HEADERS.AUTHORIZATION)]).toBe('Bearer x');
    expect(out[lc(HEADERS.GATEWAY_REQUEST_ID)]).toBe('gw-1');
    expect(out['x-forwarded-for']).toBe('1.2.3.4, 10.0.0.5');
    expect(out['content-length']).toBeUndefined();
  });
});

describe('downstreamResponseHeaders', () => {
  it('drops hop-by-hop response headers and keeps the rest', () => {
    expect(
      downstreamResponseHeaders({ connection: 'close', 'transfer-encoding': 'chunked', 'content-type': 'text/plain', 'x-a': '1' }),
    ).toEqual({ 'content-type': 'text/plain', 'x-a': '1' });
  });
});

describe('traceIdFrom', () => {
  it('keeps a clean client trace id and replaces a hostile one', () => {
    expect(traceIdFrom({ [lc(HEADERS.TRACE_ID)]: 'abc-1' }, () => 'fresh')).toBe('abc-1');
    expect(traceIdFrom({ [lc(HEADERS.TRACE_ID)]: 'a b*' }, () => 'fresh')).toBe('fresh');
    expect(traceIdFrom({}, () => 'fresh')).toBe('fresh');
  });
});
