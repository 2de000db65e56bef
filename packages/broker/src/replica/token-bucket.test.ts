import { ManualClock } from '@tributary/core';
import { describe, expect, it } from 'vitest';
import { ReplicationThrottle, THROTTLE_LIMITS } from './replication-throttle.js';
import { TokenBucket } from './token-bucket.js';

describe('TokenBucket', () => {
  it('grants the burst at once, then only what the rate refills', () => {
    const clock = new ManualClock(0);
    const bucket = new TokenBucket({ rateBytesPerSec: 1_000, burstBytes: 500, clock });
    expect(bucket.reserve(10_000)).toBe(500);
    expect(bucket.reserve(10_000)).toBe(0);
    expect(bucket.msUntilAvailable()).toBe(1);
    clock.advance(100);
    expect(bucket.reserve(10_000)).toBe(100);
    clock.advance(10_000);
    // Never more than the burst, however long nothing was taken.
    expect(bucket.reserve(10_000)).toBe(500);
  });

  it('returns what a fetch did not use and turns an overshoot into debt', () => {
    const clock = new ManualClock(0);
    const bucket = new TokenBucket({ rateBytesPerSec: 1_000, burstBytes: 1_000, clock });
    const reserved = bucket.reserve(800);
    bucket.settle(reserved, 300);
    expect(bucket.reserve(10_000)).toBe(700);
    // A whole batch larger than the grant: the bucket owes 1_500 bytes.
    const next = bucket.reserve(10_000);
    expect(next).toBe(0);
    bucket.settle(0, 1_500);
    expect(bucket.msUntilAvailable()).toBe(1_501);
    clock.advance(1_500);
    expect(bucket.reserve(10_000)).toBe(0);
    clock.advance(2);
    expect(bucket.reserve(10_000)).toBe(2);
  });

  it('keeps the long-run rate within the limit plus one burst (and one overshooting batch)', () => {
    const clock = new ManualClock(0);
    const rate = 10_000;
    const burst = 4_000;
    const batchBytes = 1_500;
    const bucket = new TokenBucket({ rateBytesPerSec: rate, burstBytes: burst, clock });
    let taken = 0;
    // A greedy consumer: whole batches only, at least one per grant (like the leader's soft max-bytes).
    for (let tick = 0; tick < 20_000; tick++) {
      clock.advance(1 + (tick % 7));
      const reserved = bucket.reserve(64 * 1024);
      if (reserved === 0) continue;
      const used = Math.max(batchBytes, Math.floor(reserved / batchBytes) * batchBytes);
      bucket.settle(reserved, used);
      taken += used;
      const bound = (rate * clock.nowMs()) / 1000 + burst + batchBytes;
      expect(taken).toBeLessThanOrEqual(bound);
    }
    // And it is not starved either: within one burst and one batch of the rate.
    expect(taken).toBeGreaterThanOrEqual((rate * clock.nowMs()) / 1000 - burst - batchBytes);
  });

  it('changes rate live, keeping debt and capping held tokens at the new burst', () => {
    const clock = new ManualClock(0);
    const bucket = new TokenBucket({ rateBytesPerSec: 1_000, burstBytes: 1_000, clock });
    bucket.setRate(100, 200);
    expect(bucket.reserve(10_000)).toBe(200);
    clock.advance(1_000);
    expect(bucket.reserve(10_000)).toBe(100);
  });
});

describe('ReplicationThrottle', () => {
  it('grants everything without a rate, waits boundedly when empty, and counts bytes', () => {
    const clock = new ManualClock(0);
    const throttle = new ReplicationThrottle(clock);
    expect(throttle.reserve(1_000_000)).toBe(1_000_000);
    expect(throttle.setRate(1_000)).toBe(true);
    expect(throttle.setRate(1_000)).toBe(false);
    expect(throttle.reserve(1_000_000)).toBe(THROTTLE_LIMITS.burstBytesMin);
    throttle.settle(THROTTLE_LIMITS.burstBytesMin, 70_000);
    expect(throttle.reserve(1_000)).toBe(0);
    expect(throttle.waitMs()).toBe(THROTTLE_LIMITS.waitMsMax);
    expect(throttle.stats()).toEqual({
      rateBytesPerSec: 1_000,
      throttledBytesTotal: 70_000,
      throttledWaitsTotal: 1,
    });
    expect(throttle.setRate(null)).toBe(true);
    expect(throttle.reserve(5)).toBe(5);
    expect(throttle.waitMs()).toBe(THROTTLE_LIMITS.waitMsMin);
  });
});
