import { describe, expect, it } from 'vitest';
import { UNREACHABLE_BROKERS_MAX, UnreachableBrokers } from './unreachable-brokers.js';

describe('UnreachableBrokers', () => {
  it('keeps a report for retainMs, refreshed by further failures', () => {
    const tracker = new UnreachableBrokers({ retainMs: 1_000 });
    expect(tracker.reportFailure(3, 0)).toBe(true);
    expect(tracker.reportFailure(1, 100)).toBe(true);
    expect(tracker.list(500)).toEqual([1, 3]);
    expect(tracker.reportFailure(3, 900)).toBe(false);
    expect(tracker.list(1_050)).toEqual([1, 3]);
    expect(tracker.list(1_100)).toEqual([3]);
    expect(tracker.list(1_900)).toEqual([]);
  });

  it('forgets a broker once a call to it succeeds', () => {
    const tracker = new UnreachableBrokers();
    tracker.reportFailure(2, 0);
    tracker.reportSuccess(2);
    expect(tracker.list(1)).toEqual([]);
    expect(tracker.reportFailure(2, 2)).toBe(true);
  });

  it('is bounded', () => {
    const tracker = new UnreachableBrokers();
    for (let id = 0; id < UNREACHABLE_BROKERS_MAX + 5; id += 1) tracker.reportFailure(id, 0);
    expect(tracker.list(0)).toHaveLength(UNREACHABLE_BROKERS_MAX);
  });

  it('rejects a bad retention', () => {
    expect(() => new UnreachableBrokers({ retainMs: 0 })).toThrow();
  });
});
