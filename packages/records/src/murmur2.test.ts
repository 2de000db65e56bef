import { SeededRandom, TributaryError } from '@tributary/core';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { murmur2, partitionForKey, toPositive } from './murmur2.js';
import { StickyPartitioner } from './sticky-partitioner.js';

describe('murmur2 (Kafka Utils.murmur2)', () => {
  it("matches Kafka's UtilsTest.testMurmur2 vectors", () => {
    const vectors: ReadonlyArray<readonly [string, number]> = [
      ['21', -973932308],
      ['foobar', -790332482],
      ['a-little-bit-long-string', -985981536],
      ['a-little-bit-longer-string', -1486304829],
      ['lkjh234lh9fiuh90y23oiuhsafujhadof229phr9h19h89h8', -58897971],
      ['abc', 479470107],
    ];
    for (const [key, expected] of vectors) {
      expect(murmur2(Buffer.from(key, 'utf8')), key).toBe(expected);
    }
  });

  it('returns a signed int32 for any input, and toPositive clears only the sign bit', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 64 }), (key) => {
        const h = murmur2(key);
        expect(h | 0).toBe(h);
        expect(toPositive(h)).toBe(h >= 0 ? h : h + 2 ** 31);
      }),
    );
    expect(toPositive(-(2 ** 31))).toBe(0);
    expect(toPositive(-1)).toBe(2 ** 31 - 1);
  });

  it('partitionForKey is toPositive(murmur2) mod partitions, and stays in range', () => {
    expect(partitionForKey(Buffer.from('foobar'), 10)).toBe(toPositive(-790332482) % 10);
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 32 }), fc.integer({ min: 1, max: 10_000 }), (key, n) => {
        const p = partitionForKey(key, n);
        expect(p >= 0 && p < n).toBe(true);
      }),
    );
    expect(() => partitionForKey(Buffer.from('k'), 0)).toThrow(TributaryError);
  });
});

describe('StickyPartitioner', () => {
  it('sticks to one partition until onNewBatch, then moves to a different one', () => {
    const sticky = new StickyPartitioner(new SeededRandom(1));
    const choice = { numPartitions: 8 };
    const first = sticky.partition('t', choice);
    for (let i = 0; i < 20; i++) expect(sticky.partition('t', choice)).toBe(first);
    const next = sticky.onNewBatch('t', choice, first);
    expect(next).not.toBe(first);
    expect(sticky.partition('t', choice)).toBe(next);
  });

  it('chooses only available partitions when there are any', () => {
    const sticky = new StickyPartitioner(new SeededRandom(2));
    const choice = { numPartitions: 6, availablePartitions: [1, 4] };
    let previous = sticky.partition('t', choice);
    for (let i = 0; i < 50; i++) {
      const next = sticky.onNewBatch('t', choice, previous);
      expect([1, 4]).toContain(next);
      expect(next).not.toBe(previous);
      previous = next;
    }
  });

  it('a stale onNewBatch (another batch already moved on) does not move again', () => {
    const sticky = new StickyPartitioner(new SeededRandom(3));
    const choice = { numPartitions: 4 };
    const a = sticky.partition('t', choice);
    const b = sticky.onNewBatch('t', choice, a);
    expect(sticky.onNewBatch('t', choice, a)).toBe(b);
  });

  it('spreads over all partitions, keeps topics apart, and replays from a seed', () => {
    const run = (seed: number): number[] => {
      const sticky = new StickyPartitioner(new SeededRandom(seed));
      const choice = { numPartitions: 5 };
      const picks = [sticky.partition('t', choice)];
      for (let i = 0; i < 200; i++) picks.push(sticky.onNewBatch('t', choice, picks[picks.length - 1] ?? 0));
      return picks;
    };
    expect(run(9)).toEqual(run(9));
    expect(new Set(run(9)).size).toBe(5);
    const sticky = new StickyPartitioner(new SeededRandom(4));
    const one = { numPartitions: 1 };
    expect(sticky.partition('a', one)).toBe(0);
    expect(sticky.onNewBatch('a', one, 0)).toBe(0);
    sticky.forget('a');
    expect(sticky.partition('a', one)).toBe(0);
  });
});
