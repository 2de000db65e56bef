import { SeededRandom } from '@tributary/core';
import { describe, expect, it } from 'vitest';
import {
  DEFAULT_QUOTA_WINDOW,
  quotaThrottleTimeMs,
  requestPercentageUnits,
  SampledRate,
} from './quota-rate.js';

describe('SampledRate (Kafka Rate over SampledStat)', () => {
  it('spreads a new client over at least samples − 1 windows', () => {
    const rate = new SampledRate(DEFAULT_QUOTA_WINDOW, 0);
    rate.record(10_000, 0);
    expect(rate.windowSizeMs(0)).toBe(10_000);
    expect(rate.measure(0)).toBe(1_000);
    expect(rate.measure(4_000)).toBe(1_000);
  });

  it('measures over the time since the oldest sample once that is longer', () => {
    const rate = new SampledRate(DEFAULT_QUOTA_WINDOW, 0);
    for (let t = 0; t <= 10_500; t += 500) rate.record(100, t);
    // 22 values of 100 over 10.5 s... the samples started at 0 (kept until 11 s).
    expect(rate.windowSizeMs(10_500)).toBe(10_500);
    expect(rate.measure(10_500)).toBeCloseTo((2_200 * 1_000) / 10_500, 6);
  });

  it('forgets a sample samples × window after it started', () => {
    const rate = new SampledRate(DEFAULT_QUOTA_WINDOW, 0);
    rate.record(11_000, 0);
    expect(rate.measure(10_999)).toBeGreaterThan(0);
    expect(rate.measure(11_000)).toBe(0);
  });

  it('reuses the ring of samples: at most `samples` are kept', () => {
    const rate = new SampledRate({ samples: 3, sampleWindowMs: 100 }, 0);
    rate.record(1, 0);
    rate.record(1, 100);
    rate.record(1, 200);
    rate.record(1, 300); // overwrites the sample of t=0
    expect(rate.measure(300)).toBeCloseTo((3 * 1_000) / 200, 6);
  });

  it('refuses a window config out of bounds and negative values', () => {
    expect(() => new SampledRate({ samples: 1, sampleWindowMs: 1_000 }, 0)).toThrow();
    expect(() => new SampledRate({ samples: 11, sampleWindowMs: 1 }, 0)).toThrow();
    expect(() => new SampledRate(DEFAULT_QUOTA_WINDOW, 0).record(-1, 0)).toThrow();
  });
});

describe('quotaThrottleTimeMs (QuotaUtils.throttleTime)', () => {
  it.each([
    // observed, quota, window, max, expected
    [100, 100, 10_000, 60_000, 0],
    [50, 100, 10_000, 60_000, 0],
    [150, 100, 10_000, 60_000, 5_000],
    [200, 100, 11_000, 60_000, 11_000],
    [1_000, 100, 10_000, 11_000, 11_000],
    [1, 0, 10_000, 11_000, 11_000],
    [100.04, 100, 10_000, 60_000, 4],
  ])(
    'observed %d, quota %d, window %d ms, max %d: %d ms',
    (observedRate, quota, windowMs, maxMs, expected) => {
      expect(quotaThrottleTimeMs({ observedRate, quota, windowMs, maxMs })).toBe(expected);
    },
  );

  it('brings the rate back to the quota when the client waits it out', () => {
    const rate = new SampledRate(DEFAULT_QUOTA_WINDOW, 0);
    for (let t = 0; t < 10_000; t += 100) rate.record(20_000, t);
    const now = 10_000;
    const observedRate = rate.measure(now);
    const wait = quotaThrottleTimeMs({
      observedRate,
      quota: 100_000,
      windowMs: rate.windowSizeMs(now),
      maxMs: 1e9,
    });
    expect(wait).toBeGreaterThan(0);
    // Kafka's model: the same bytes over W + X is the quota (samples do not expire meanwhile within 11 s).
    expect((observedRate * rate.windowSizeMs(now)) / (rate.windowSizeMs(now) + wait)).toBeCloseTo(
      100_000,
      -1,
    );
  });

  it('counts request time as percent of one thread: 1 s of handler time per second is 100%', () => {
    expect(requestPercentageUnits(1_000)).toBe(100);
    const rate = new SampledRate(DEFAULT_QUOTA_WINDOW, 0);
    for (let t = 0; t < 20_000; t += 10) rate.record(requestPercentageUnits(5), t);
    expect(rate.measure(20_000)).toBeCloseTo(50, 0);
  });
});

describe('a greedy producer that honours every throttle', () => {
  // Seeded runs: request sizes and round trips vary; the long-run rate stays near the quota. Kafka's rate
  // allows a burst of (samples − 1) windows of quota (the minimum window), so the bound here is over a long
  // run; the real-process test checks ±20% over 20 s with a short window.
  const seeds = [1, 2, 3, 42, 20_250_101];
  it.each(seeds)('seed %d: within 15%% of the quota over 120 s', (seed) => {
    const random = new SeededRandom(seed);
    const quota = 1_048_576;
    for (const window of [DEFAULT_QUOTA_WINDOW, { samples: 11, sampleWindowMs: 200 }]) {
      const rate = new SampledRate(window, 0);
      let nowMs = 0;
      let bytes = 0;
      while (nowMs < 120_000) {
        const size = random.int(16 * 1_024, 256 * 1_024);
        rate.record(size, nowMs);
        bytes += size;
        const throttle = quotaThrottleTimeMs({
          observedRate: rate.measure(nowMs),
          quota,
          windowMs: rate.windowSizeMs(nowMs),
          maxMs: window.samples * window.sampleWindowMs,
        });
        nowMs += random.int(1, 20) + throttle;
      }
      const observed = (bytes * 1_000) / nowMs;
      expect(observed, `seed ${seed}, window ${JSON.stringify(window)}`).toBeGreaterThan(quota * 0.85);
      expect(observed, `seed ${seed}, window ${JSON.stringify(window)}`).toBeLessThan(quota * 1.15);
    }
  });
});
