import { AssertionError } from '@tributary/core';
import { describe, expect, it } from 'vitest';
import { LeaderEpochCache } from './epoch-cache.js';

describe('LeaderEpochCache', () => {
  it('ignores older epochs and drops empty epochs that a new one starts on', () => {
    const cache = new LeaderEpochCache();
    expect(cache.assign(1, 0)).toBe(true);
    expect(cache.assign(1, 10)).toBe(false);
    expect(cache.assign(0, 10)).toBe(false);
    expect(cache.assign(2, 10)).toBe(true);
    expect(cache.assign(3, 10)).toBe(true); // epoch 2 never wrote anything
    expect(cache.list()).toEqual([
      { epoch: 1, startOffset: 0 },
      { epoch: 3, startOffset: 10 },
    ]);
    expect(() => cache.assign(-1, 20)).toThrow(AssertionError);
  });

  it('answers endOffsetFor like Kafka OffsetsForLeaderEpoch', () => {
    const cache = new LeaderEpochCache([
      { epoch: 2, startOffset: 5 },
      { epoch: 4, startOffset: 9 },
    ]);
    // Older than every entry (deleted records): itself and the first entry's start, as Kafka answers.
    expect(cache.endOffsetFor(1, 20)).toEqual({ leaderEpoch: 1, endOffset: 5 });
    expect(cache.endOffsetFor(-1, 20)).toEqual({ leaderEpoch: -1, endOffset: -1 });
    expect(cache.endOffsetFor(2, 20)).toEqual({ leaderEpoch: 2, endOffset: 9 });
    expect(cache.endOffsetFor(3, 20)).toEqual({ leaderEpoch: 2, endOffset: 9 });
    expect(cache.endOffsetFor(4, 20)).toEqual({ leaderEpoch: 4, endOffset: 20 });
    expect(cache.endOffsetFor(7, 20)).toEqual({ leaderEpoch: 4, endOffset: 20 });
    expect(new LeaderEpochCache().endOffsetFor(0, 3)).toEqual({ leaderEpoch: -1, endOffset: -1 });
  });

  it('truncates from the end and from the start', () => {
    const cache = new LeaderEpochCache([
      { epoch: 1, startOffset: 0 },
      { epoch: 2, startOffset: 10 },
      { epoch: 3, startOffset: 20 },
    ]);
    expect(cache.truncateFromStart(0)).toBe(false);
    expect(cache.truncateFromStart(15)).toBe(true);
    expect(cache.list()).toEqual([
      { epoch: 2, startOffset: 15 },
      { epoch: 3, startOffset: 20 },
    ]);
    expect(cache.truncateFromStart(20)).toBe(true);
    expect(cache.list()).toEqual([{ epoch: 3, startOffset: 20 }]);
    expect(cache.truncateFromEnd(21)).toBe(false);
    expect(cache.truncateFromEnd(20)).toBe(true);
    expect(cache.list()).toEqual([]);
  });

  it('round-trips the checkpoint format and refuses malformed files', () => {
    const cache = new LeaderEpochCache([
      { epoch: 0, startOffset: 0 },
      { epoch: 7, startOffset: 123456789012 },
    ]);
    const text = cache.toCheckpoint();
    expect(text).toBe('0\n2\n0 0\n7 123456789012\n');
    expect(LeaderEpochCache.parseCheckpoint(text).list()).toEqual(cache.list());
    expect(LeaderEpochCache.parseCheckpoint('0\n0\n').list()).toEqual([]);
    for (const bad of ['', '1\n0\n', '0\n2\n1 0\n', '0\n1\nx 0\n']) {
      expect(() => LeaderEpochCache.parseCheckpoint(bad)).toThrow(/checkpoint/);
    }
  });
});
