import { describe, expect, it } from 'vitest';
import { OffsetStore } from './offset-store.js';

const value = (offset: number, commitTimestampMs = 100) => ({
  offset,
  leaderEpoch: 1,
  metadata: '',
  commitTimestampMs,
});

const plain = (recordOffset: number) => ({ recordOffset, producerId: null });
const txn = (producerId: number, recordOffset: number) => ({ recordOffset, producerId });
const tp = (partition: number) => ({ group: 'g', topic: 't', partition });

describe('OffsetStore', () => {
  it('keeps the last commit per partition and deletes on a tombstone', () => {
    const store = new OffsetStore();
    store.apply({ group: 'g', topic: 't', partition: 1 }, value(5), plain(1));
    store.apply({ group: 'g', topic: 't', partition: 1 }, value(9), plain(2));
    store.apply({ group: 'g', topic: 't', partition: 0 }, value(3), plain(3));
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
    store.apply({ group: 'g', topic: 't', partition: 0 }, null, plain(4));
    store.apply({ group: 'g', topic: 't', partition: 1 }, null, plain(5));
    expect(store.hasGroup('g')).toBe(false);
    expect(store.fetch('g')).toEqual([]);
  });

  it('lists offsets older than the cutoff in eligible groups only', () => {
    const store = new OffsetStore();
    store.apply({ group: 'old', topic: 't', partition: 0 }, value(1, 10), plain(6));
    store.apply({ group: 'old', topic: 't', partition: 1 }, value(1, 500), plain(7));
    store.apply({ group: 'busy', topic: 't', partition: 0 }, value(1, 10), plain(8));
    expect(store.olderThan(100, (group) => group !== 'busy')).toEqual([
      { group: 'old', topic: 't', partition: 0 },
    ]);
  });

  it('keeps transactional offsets pending until their marker', () => {
    const store = new OffsetStore();
    store.apply(tp(0), value(3), plain(1));
    store.apply(tp(0), value(7), txn(9, 2));
    store.apply(tp(1), value(8), txn(9, 3));
    expect(store.fetch('g').map((c) => c.offset)).toEqual([3]);
    expect(store.hasPending('g', 't', 0)).toBe(true);
    expect(store.hasPending('g', 't', 2)).toBe(false);
    expect(store.completeTransaction(9, true)).toBe(2);
    expect(store.fetch('g').map((c) => c.offset)).toEqual([7, 8]);
    expect(store.hasPending('g', 't', 0)).toBe(false);
    expect(store.pendingProducerCount).toBe(0);
  });

  it('drops an aborted transaction and ignores a marker with nothing pending', () => {
    const store = new OffsetStore();
    store.apply(tp(0), value(3), plain(1));
    store.apply(tp(0), value(7), txn(9, 2));
    expect(store.completeTransaction(9, false)).toBe(0);
    expect(store.completeTransaction(9, true)).toBe(0);
    expect(store.fetch('g').map((c) => c.offset)).toEqual([3]);
  });

  it('lets a plain commit written after the transactional one win (Kafka compares log offsets)', () => {
    const store = new OffsetStore();
    store.apply(tp(0), value(7), txn(9, 2));
    store.apply(tp(1), value(8), txn(9, 3));
    store.apply(tp(0), value(4), plain(5));
    store.completeTransaction(9, true);
    expect(store.fetch('g').map((c) => c.offset)).toEqual([4, 8]);
  });

  it('keeps producers apart, and counts a group with pending offsets only as known', () => {
    const store = new OffsetStore();
    store.apply(tp(0), value(7), txn(9, 2));
    store.apply(tp(1), value(8), txn(10, 3));
    expect(store.hasGroup('g')).toBe(true);
    expect(store.groupIds()).toEqual(['g']);
    expect(store.fetch('g')).toEqual([]);
    store.completeTransaction(10, true);
    expect(store.fetch('g').map((c) => c.partition)).toEqual([1]);
    expect(store.hasPending('g', 't', 0)).toBe(true);
    expect(store.pendingProducerIds()).toEqual([9]);
  });

  it('deletes a pending offset on a transactional tombstone only', () => {
    const store = new OffsetStore();
    store.apply(tp(0), value(3), plain(1));
    store.apply(tp(0), value(7), txn(9, 2));
    store.apply(tp(0), null, txn(9, 3));
    store.completeTransaction(9, true);
    expect(store.fetch('g').map((c) => c.offset)).toEqual([3]);
  });
});
