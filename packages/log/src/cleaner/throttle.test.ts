import { ManualClock, TributaryError } from '@tributary/core';
import { describe, expect, it } from 'vitest';
import { CleanerThrottle } from './throttle.js';

function throttleAt(ioMaxBytesPerSecond: number | undefined) {
  const clock = new ManualClock(1_000);
  const slept: number[] = [];
  const throttle = new CleanerThrottle({
    ioMaxBytesPerSecond,
    clock,
    sleep: async (ms) => {
      slept.push(ms);
      clock.advance(ms);
    },
  });
  return { clock, slept, throttle };
}

describe('CleanerThrottle', () => {
  it('never waits when unlimited', async () => {
    const { slept, throttle } = throttleAt(undefined);
    for (let i = 0; i < 100; i++) await throttle.throttle(10 * 1024 * 1024);
    expect(slept).toEqual([]);
    expect(throttle.limited).toBe(false);
  });

  it('lets one second of bytes through, then paces the rest at the rate', async () => {
    const { clock, slept, throttle } = throttleAt(1_000_000);
    const startMs = clock.nowMs();
    // 10 MB in 100 KB steps at 1 MB/s: the first second's burst is free, the other 9 MB take 9 s.
    for (let i = 0; i < 100; i++) await throttle.throttle(100_000);
    expect(clock.nowMs() - startMs).toBe(9_000);
    expect(throttle.throttledMs).toBe(9_000);
    expect(slept.length).toBeGreaterThan(0);
  });

  it('waits out a report larger than the burst in one sleep', () => {
    const { throttle } = throttleAt(1_000_000);
    expect(throttle.reportBytes(3_000_000)).toBe(2_000);
  });

  it('refills while the cleaner is idle, up to the burst only', () => {
    const { clock, throttle } = throttleAt(1_000_000);
    expect(throttle.reportBytes(1_000_000)).toBe(0);
    clock.advance(60_000);
    expect(throttle.reportBytes(1_000_000)).toBe(0);
    expect(throttle.reportBytes(500_000)).toBe(500);
  });

  it('refuses a rate below the minimum', () => {
    expect(() => throttleAt(10)).toThrow(TributaryError);
    expect(() => throttleAt(1.5e6 + 0.5)).toThrow(TributaryError);
  });
});
