import { formatEventId, parseEventId } from './event-id';

describe('event ids', () => {
  it('round-trips a stream id that contains colons', () => {
    expect(parseEventId(formatEventId('run:abc:1', 7))).toEqual({ streamId: 'run:abc:1', seq: 7 });
  });
  it('rejects ids without a position', () => {
    expect(parseEventId('abc')).toBeNull();
    expect(parseEventId(':5')).toBeNull();
    expect(parseEventId('abc:x')).toBeNull();
  });
});
