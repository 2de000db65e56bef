import { describe, expect, it } from 'vitest';
import { OffsetStore } from './offset-store.js';

const value = (offset: number, commitTimestampMs = 100) => ({
  offset,
  leaderEpoch: 1,
  metadata: '',
  commitTimestampMs,
});

describe('OffsetStore', () => {
  it('keeps the last commit per partition and deletes on a tombstone', () => {
    const store = new OffsetStore();
    store.apply({ group: 'g', topic: 't', partition: 1 }, value(5));
    store.apply({ group: 'g', topic: 't', partition: 1 }, value(9));
    store.apply({ group: 'g', topic: 't', partition: 0 }, value(3));
    expect(store.fetch('g').map((c) => [c.partition, c.offset])).toEqual([
      [0, 3],
      [1, 9],
    ]);
    expect(
      store
        .fetch('g', [
          { topic: 't', partition: 1 },
          { topic: 'x', partition: 0 },
        ])
        .map((c) => c.offset),
    ).toEqual([9]);
    store.apply({ group: 'g', topic: 't', partition: 0 }, null);
    store.apply({ group: 'g', topic: 't', partition: 1 }, null);
    expect(store.hasGroup('g')).toBe(false);
    expect(store.fetch('g')).toEqual([]);
  });

  it('lists offsets older than the cutoff in eligible groups only', () => {
    const store = new OffsetStore();
    store.apply({ group: 'old', topic: 't', partition: 0 }, value(1, 10));
    store.apply({ group: 'old', topic: 't', partition: 1 }, value(1, 500));
    store.apply({ group: 'busy', topic: 't', partition: 0 }, value(1, 10));
    expect(store.olderThan(100, (group) => group !== 'busy')).toEqual([
      { group: 'old', topic: 't', partition: 0 },
    ]);
  });
});
