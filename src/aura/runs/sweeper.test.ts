import pino from 'pino';
import { Sweeper } from './sweeper';

describe('Sweeper', () => {
  beforeEach(() => jest.useFakeTimers());
  afterEach(() => jest.useRealTimers());

  it('sweeps every interval, never two sweeps at once, and nothing after stop()', async () => {
    let calls = 0;
    let release: (() => void) | undefined;
    const source = {
      adoptLapsed: () => {
        calls++;
        return new Promise<void>((r) => (release = r));
      },
    };
    const s = new Sweeper([source], 100, pino({ level: 'silent' }));
    s.start();
    expect(calls).toBe(1); // at once
    await jest.advanceTimersByTimeAsync(350);
    expect(calls).toBe(1); // the first sweep is still under way: ticks do not pile up
    release!();
    await jest.advanceTimersByTimeAsync(100);
    expect(calls).toBe(2);
    release!();
    await s.stop();
    await jest.advanceTimersByTimeAsync(1_000);
    expect(calls).toBe(2);
  });
});
