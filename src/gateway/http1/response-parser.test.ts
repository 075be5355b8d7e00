import type { ResponseHead } from './response-head';
import { ResponseParser } from './response-parser';

interface Seen {
  heads: ResponseHead[];
  body: string;
  completions: boolean[];
}

function parser(opts: { maxHeadBytes?: number; noBody?: boolean } = {}) {
  const seen: Seen = { heads: [], body: '', completions: [] };
  const p = new ResponseParser(
    {
      onHead: (h) => seen.heads.push(h),
      onBody: (c) => {
        seen.body += c.toString('latin1');
      },
      onComplete: (reusable) => seen.completions.push(reusable),
    },
    { maxHeadBytes: opts.maxHeadBytes ?? 8192 },
  );
  p.reset(opts.noBody ?? false);
  return { p, seen };
}

/** Feeds `wire` split at every possible position (and byte by byte); each run must see the same thing. */
function everySplit(wire: string, opts: { noBody?: boolean } = {}): Seen {
  const bytes = Buffer.from(wire, 'latin1');
  const whole = parser(opts);
  whole.p.execute(bytes);
  for (let i = 1; i < bytes.length; i++) {
    const split = parser(opts);
    split.p.execute(bytes.subarray(0, i));
    split.p.execute(bytes.subarray(i));
    expect(split.seen).toEqual(whole.seen);
  }
  const single = parser(opts);
  for (let i = 0; i < bytes.length; i++) single.p.execute(bytes.subarray(i, i + 1));
  expect(single.seen).toEqual(whole.seen);
  return whole.seen;
}

function fails(wire: string, message: RegExp, opts: { maxHeadBytes?: number } = {}) {
  const { p, seen } = parser(opts);
  expect(() => p.execute(Buffer.from(wire, 'latin1'))).toThrow(message);
  return seen;
}

describe('ResponseParser', () => {
  it('reads a Content-Length body, whatever the read boundaries', () => {
    const seen = everySplit('HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 11\r\nX-A: 1\r\nX-A: 2\r\n\r\n{"ok":true}');
    expect(seen.heads).toHaveLength(1);
    expect(seen.heads[0]).toEqual({
      statusCode: 200,
      statusMessage: 'OK',
      headers: { 'content-type': 'application/json', 'content-length': '11', 'x-a': '1, 2' },
    });
    expect(seen.body).toBe('{"ok":true}');
    expect(seen.completions).toEqual([true]);
  });

  it('decodes a chunked body with extensions and trailers, whatever the read boundaries', () => {
    const seen = everySplit('HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5;name="x"\r\nhello\r\nA\r\n, world!!!\r\n0\r\nX-Checksum: abc\r\n\r\n');
    expect(seen.body).toBe('hello, world!!!');
    expect(seen.completions).toEqual([true]);
  });

  it('hands on the chunk data of one read as one buffer', () => {
    const bodies: string[] = [];
    const p = new ResponseParser({ onHead: () => undefined, onBody: (c) => bodies.push(c.toString()), onComplete: () => undefined }, { maxHeadBytes: 1024 });
    p.reset(false);
    p.execute(Buffer.from('HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n2\r\nab\r\n2\r\ncd\r\n1\r\ne'));
    p.execute(Buffer.from('\r\n2\r\nfg\r\n0\r\n\r\n'));
    expect(bodies).toEqual(['abcde', 'fg']);
  });

  it('keeps set-cookie as a list', () => {
    const seen = everySplit('HTTP/1.1 204 No Content\r\nSet-Cookie: a=1\r\nSet-Cookie: b=2\r\n\r\n');
    expect(seen.heads[0].headers['set-cookie']).toEqual(['a=1', 'b=2']);
    expect(seen.completions).toEqual([true]);
  });

  it('expects no body after HEAD, 204 and 304, whatever their Content-Length', () => {
    expect(everySplit('HTTP/1.1 200 OK\r\nContent-Length: 500\r\n\r\n', { noBody: true }).completions).toEqual([true]);
    expect(everySplit('HTTP/1.1 304 Not Modified\r\nContent-Length: 500\r\n\r\n').completions).toEqual([true]);
    expect(everySplit('HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n').completions).toEqual([true]);
  });

  it('skips interim answers and reads the final one', () => {
    const seen = everySplit('HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 103 Early Hints\r\nLink: </a.css>\r\n\r\nHTTP/1.1 201 Created\r\nContent-Length: 2\r\n\r\nok');
    expect(seen.heads.map((h) => h.statusCode)).toEqual([201]);
    expect(seen.body).toBe('ok');
  });

  it('reads a body without length until the connection closes, and never reuses that connection', () => {
    const { p, seen } = parser();
    p.execute(Buffer.from('HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\n\r\nsome'));
    p.execute(Buffer.from(' text'));
    expect(seen.completions).toEqual([]);
    expect(p.finish()).toBe(true);
    expect(seen.body).toBe('some text');
    expect(seen.completions).toEqual([false]);
  });

  it('reports a body cut short by the close', () => {
    const { p, seen } = parser();
    p.execute(Buffer.from('HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nabc'));
    expect(p.finish()).toBe(false);
    expect(seen.completions).toEqual([]);
    const chunked = parser();
    chunked.p.execute(Buffer.from('HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n'));
    expect(chunked.p.finish()).toBe(false);
  });

  it('does not reuse a connection the upstream will close, or one that sent a length beside a coding', () => {
    expect(everySplit('HTTP/1.1 200 OK\r\nConnection: close\r\nContent-Length: 1\r\n\r\nx').completions).toEqual([false]);
    expect(everySplit('HTTP/1.0 200 OK\r\nContent-Length: 1\r\n\r\nx').completions).toEqual([false]);
    expect(everySplit('HTTP/1.0 200 OK\r\nConnection: keep-alive\r\nContent-Length: 1\r\n\r\nx').completions).toEqual([true]);
    // Transfer-Encoding wins over Content-Length (RFC 9112 §6.3), and the connection is not reused.
    const both = everySplit('HTTP/1.1 200 OK\r\nContent-Length: 100\r\nTransfer-Encoding: chunked\r\n\r\n1\r\nx\r\n0\r\n\r\n');
    expect(both.body).toBe('x');
    expect(both.completions).toEqual([false]);
  });

  it('accepts repeated identical Content-Length values', () => {
    expect(everySplit('HTTP/1.1 200 OK\r\nContent-Length: 2\r\nContent-Length: 2\r\n\r\nok').body).toBe('ok');
    expect(everySplit('HTTP/1.1 200 OK\r\nContent-Length: 2, 2\r\n\r\nok').body).toBe('ok');
  });

  it('refuses what is not a valid response', () => {
    fails('HTTP/1.1 200 OK\nContent-Length: 0\n\n\r\n\r\n', /status line|header line/);
    fails('HTTP/2 200 OK\r\n\r\n', /status line/);
    fails('HTTP/1.1 20 OK\r\n\r\n', /status line/);
    fails('HTTP/1.1 200 OK\r\nContent-Length: 1\r\n folded: value\r\n\r\n', /header name/);
    fails('HTTP/1.1 200 OK\r\nBad Name: x\r\n\r\n', /header name/);
    fails('HTTP/1.1 200 OK\r\nNoColon\r\n\r\n', /header line/);
    fails('HTTP/1.1 200 OK\r\nX: a\u0000b\r\n\r\n', /control character/);
    fails('HTTP/1.1 200 OK\r\nX: a\rb\r\n\r\n', /control character/);
    fails('HTTP/1.1 200 OK\r\nContent-Length: 1, 2\r\n\r\n', /Content-Length/);
    fails('HTTP/1.1 200 OK\r\nContent-Length: 2\r\nContent-Length: 3\r\n\r\n', /Content-Length/);
    fails('HTTP/1.1 200 OK\r\nContent-Length: -1\r\n\r\n', /Content-Length/);
    fails('HTTP/1.1 200 OK\r\nContent-Length: 0x10\r\n\r\n', /Content-Length/);
    fails('HTTP/1.1 101 Switching Protocols\r\n\r\n', /101/);
    fails('HTTP/1.1 200 OK\r\nTransfer-Encoding: gzip, chunked\r\n\r\n', /transfer coding/);
    fails('HTTP/1.1 200 OK\r\nTransfer-Encoding: gzip\r\n\r\n', /transfer coding/);
    fails('HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\nTransfer-Encoding: chunked\r\n\r\n', /transfer coding/);
    fails('HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n', /chunk size/);
    fails('HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n3\nabc', /bare LF/);
    fails('HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabcX\r\n', /CRLF/);
    fails('HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n0\r\nbad trailer\r\n\r\n', /trailer/);
    fails('HTTP/1.1 200 OK\r\nContent-Length: 1\r\n\r\nxy', /after the end/);
  });

  it('hands on no head whose framing is invalid (the caller can still answer 502)', () => {
    expect(fails('HTTP/1.1 200 OK\r\nContent-Length: 5\r\nContent-Length: 6\r\n\r\nhello!', /Content-Length/).heads).toEqual([]);
    expect(fails('HTTP/1.1 200 OK\r\nContent-Length: abc\r\n\r\n', /Content-Length/).heads).toEqual([]);
  });

  it('bounds the head and the chunk lines it will hold', () => {
    fails(`HTTP/1.1 200 OK\r\nX: ${'a'.repeat(200)}\r\n\r\n`, /too large/, { maxHeadBytes: 100 });
    // Without the blank line yet: refused as soon as the limit is passed, not buffered on.
    fails(`HTTP/1.1 200 OK\r\nX: ${'a'.repeat(200)}`, /too large/, { maxHeadBytes: 100 });
    fails(`HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n1;${'e'.repeat(5000)}`, /too long/);
  });

  it('parses one response per reset on the same parser', () => {
    const { p, seen } = parser();
    p.execute(Buffer.from('HTTP/1.1 200 OK\r\nContent-Length: 1\r\n\r\na'));
    p.reset(false);
    p.execute(Buffer.from('HTTP/1.1 404 Not Found\r\nContent-Length: 1\r\n\r\nb'));
    expect(seen.heads.map((h) => h.statusCode)).toEqual([200, 404]);
    expect(seen.body).toBe('ab');
    expect(seen.completions).toEqual([true, true]);
  });
});
