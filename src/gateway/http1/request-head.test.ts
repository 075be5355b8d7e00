import { requestHead } from './request-head';

describe('requestHead', () => {
  it('writes the request line, the instance as Host, the headers and the body length', () => {
    const head = requestHead('POST', '/aura/query?x=1', '127.0.0.1:9000', { 'content-type': 'application/json', 'x-multi': ['a', 'b'], host: 'client', connection: 'keep-alive', 'content-length': '999' }, 12);
    expect(head).toBe(
      'POST /aura/query?x=1 HTTP/1.1\r\nhost: 127.0.0.1:9000\r\ncontent-type: application/json\r\nx-multi: a\r\nx-multi: b\r\ncontent-length: 12\r\n\r\n',
    );
  });

  it('announces an empty body for POST, and none for GET', () => {
    expect(requestHead('POST', '/x', 'h', {}, 0)).toContain('content-length: 0\r\n');
    expect(requestHead('GET', '/x', 'h', {}, 0)).not.toContain('content-length');
  });

  it('refuses anything that could split the request on the wire', () => {
    expect(() => requestHead('GET', '/x HTTP/1.1\r\nX: y', 'h', {}, 0)).toThrow(/target/);
    expect(() => requestHead('GET', '/a b', 'h', {}, 0)).toThrow(/target/);
    expect(() => requestHead('GET', 'http://elsewhere/', 'h', {}, 0)).toThrow(/target/);
    expect(() => requestHead('GE T', '/x', 'h', {}, 0)).toThrow(/method/);
    expect(() => requestHead('GET', '/x', 'h', { 'x-a': 'v\r\nx-injected: 1' }, 0)).toThrow(/x-a/);
    expect(() => requestHead('GET', '/x', 'h', { 'x-a': 'v\u0000' }, 0)).toThrow(/x-a/);
    expect(() => requestHead('GET', '/x', 'h', { 'bad name': 'v' }, 0)).toThrow(/header name/);
  });
});
