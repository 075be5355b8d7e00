import { errorCodeFor } from './history';

describe('errorCodeFor', () => {
  it.each([
    [200, null],
    [302, null],
    [400, 'CLIENT_ERROR'],
    [404, 'CLIENT_ERROR'],
    [413, 'CLIENT_ERROR'],
    [499, 'CLIENT_CLOSED'],
    [500, 'SERVER_ERROR'],
    [502, 'SERVER_ERROR'],
    [503, 'SERVER_ERROR'],
    [504, 'GATEWAY_TIMEOUT'],
  ])('%i → %s', (status, code) => {
    expect(errorCodeFor(status)).toBe(code);
  });
});
