import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { LogAppendError } from './append-validation.js';
import {
  nextSequence,
  type ProducerBatch,
  type ProducerCheck,
  ProducerStateManager,
  SEQUENCE_MAX,
} from './producer-state.js';

const HOUR_MS = 60 * 60 * 1000;

function manager(producersMax?: number): ProducerStateManager {
  return new ProducerStateManager({
    producerIdExpirationMs: 24 * HOUR_MS,
    ...(producersMax === undefined ? {} : { producersMax }),
  });
}

/** A batch of `records` records from `sequence`, placed at `offset`. */
function batch(
  producerId: number,
  sequence: number,
  offset: number,
  options: { epoch?: number; records?: number } = {},
): ProducerBatch {
  const records = options.records ?? 1;
  return {
    producerId,
    producerEpoch: options.epoch ?? 0,
    baseSequence: sequence,
    firstOffset: offset,
    lastOffset: offset + records - 1,
    maxTimestamp: 1_000 + offset,
  };
}

/** Checks one batch as its own append and commits it when new. */
function leaderAppend(state: ProducerStateManager, next: ProducerBatch, nowMs = 0): ProducerCheck {
  const append = state.beginAppend();
  const verdict = append.check(next, nowMs);
  append.commit();
  return verdict;
}

function failureOf(run: () => unknown): string {
  try {
    run();
  } catch (error) {
    if (error instanceof LogAppendError) return error.failure;
    throw error;
  }
  return 'accepted';
}

describe('nextSequence', () => {
  it('increments and wraps at 2^31 - 1', () => {
    expect(nextSequence(0)).toBe(1);
    expect(nextSequence(SEQUENCE_MAX)).toBe(0);
    expect(nextSequence(SEQUENCE_MAX - 1, 3)).toBe(1);
    expect(nextSequence(5, 0)).toBe(5);
  });
});

describe('ProducerStateManager', () => {
  it('ignores batches without a producer id', () => {
    const state = manager();
    expect(leaderAppend(state, batch(-1, -1, 0))).toEqual({ kind: 'not-idempotent' });
    expect(state.producerCount).toBe(0);
  });

  it('accepts consecutive sequences and answers a retry with the original offsets', () => {
    const state = manager();
    expect(leaderAppend(state, batch(7, 0, 0, { records: 3 }))).toEqual({ kind: 'new' });
    expect(leaderAppend(state, batch(7, 3, 10, { records: 2 }))).toEqual({ kind: 'new' });
    // The retry of the first batch would land at offset 20; it answers 0..2.
    expect(leaderAppend(state, batch(7, 0, 20, { records: 3 }))).toEqual({
      kind: 'duplicate',
      firstOffset: 0,
      lastOffset: 2,
    });
    expect(state.entry(7)?.batches.map((b) => [b.firstSequence, b.lastSequence])).toEqual([
      [0, 2],
      [3, 4],
    ]);
  });

  it('refuses gaps, repeats that are not retained, and unknown producers not starting at 0', () => {
    const state = manager();
    expect(failureOf(() => leaderAppend(state, batch(7, 5, 0)))).toBe('OUT_OF_ORDER_SEQUENCE');
    leaderAppend(state, batch(7, 0, 0, { records: 2 }));
    expect(failureOf(() => leaderAppend(state, batch(7, 3, 2)))).toBe('OUT_OF_ORDER_SEQUENCE');
    // Same first sequence, different length: not a duplicate, and out of order.
    expect(failureOf(() => leaderAppend(state, batch(7, 0, 2)))).toBe('OUT_OF_ORDER_SEQUENCE');
    expect(state.entry(7)?.batches).toHaveLength(1);
  });

  it('keeps only the last 5 batches: an older retry is out of order', () => {
    const state = manager();
    for (let i = 0; i < 7; i++) leaderAppend(state, batch(3, i, i));
    expect(state.entry(3)?.batches.map((b) => b.firstSequence)).toEqual([2, 3, 4, 5, 6]);
    expect(leaderAppend(state, batch(3, 2, 99))).toEqual({
      kind: 'duplicate',
      firstOffset: 2,
      lastOffset: 2,
    });
    expect(failureOf(() => leaderAppend(state, batch(3, 1, 99)))).toBe('OUT_OF_ORDER_SEQUENCE');
  });

  it('fences older epochs and starts a new epoch at sequence 0', () => {
    const state = manager();
    leaderAppend(state, batch(4, 0, 0, { epoch: 1 }));
    expect(failureOf(() => leaderAppend(state, batch(4, 1, 1, { epoch: 0 })))).toBe('INVALID_PRODUCER_EPOCH');
    expect(failureOf(() => leaderAppend(state, batch(4, 1, 1, { epoch: 2 })))).toBe('OUT_OF_ORDER_SEQUENCE');
    expect(leaderAppend(state, batch(4, 0, 1, { epoch: 2 }))).toEqual({ kind: 'new' });
    // The epoch-1 batch is forgotten with its epoch: a retry of it is fenced, not a duplicate.
    expect(state.entry(4)?.batches).toHaveLength(1);
    expect(failureOf(() => leaderAppend(state, batch(4, 0, 5, { epoch: 1 })))).toBe('INVALID_PRODUCER_EPOCH');
  });

  it('continues across the sequence wrap', () => {
    const state = manager();
    const follower = state.beginAppend();
    follower.record(batch(9, SEQUENCE_MAX - 1, 0, { records: 2 }), 0);
    follower.commit();
    expect(state.entry(9)?.batches[0]?.lastSequence).toBe(SEQUENCE_MAX);
    expect(failureOf(() => leaderAppend(state, batch(9, SEQUENCE_MAX, 2)))).toBe('OUT_OF_ORDER_SEQUENCE');
    expect(leaderAppend(state, batch(9, 0, 2))).toEqual({ kind: 'new' });
  });

  it('refuses impossible producer fields', () => {
    const state = manager();
    expect(failureOf(() => leaderAppend(state, batch(1, -1, 0)))).toBe('INVALID_PRODUCER_FIELDS');
    expect(failureOf(() => leaderAppend(state, batch(1, 0, 0, { epoch: -1 })))).toBe(
      'INVALID_PRODUCER_FIELDS',
    );
    expect(state.producerCount).toBe(0);
  });

  it('changes nothing until the append commits; later batches of one append see earlier ones', () => {
    const state = manager();
    const append = state.beginAppend();
    expect(append.check(batch(2, 0, 0), 0)).toEqual({ kind: 'new' });
    expect(append.check(batch(2, 1, 1), 0)).toEqual({ kind: 'new' });
    expect(state.entry(2)).toBeUndefined();
    append.commit();
    expect(state.entry(2)?.batches.map((b) => b.firstSequence)).toEqual([0, 1]);
    // An abandoned append (the write failed) leaves no trace.
    state.beginAppend().check(batch(2, 2, 2), 0);
    expect(leaderAppend(state, batch(2, 2, 2))).toEqual({ kind: 'new' });
  });

  it('records follower batches without checks, ignoring older epochs', () => {
    const state = manager();
    const follower = state.beginAppend();
    follower.record(batch(5, 17, 0, { epoch: 3 }), 0);
    follower.record(batch(5, 40, 1, { epoch: 3 }), 0);
    follower.record(batch(5, 0, 2, { epoch: 2 }), 0);
    follower.commit();
    expect(state.entry(5)?.producerEpoch).toBe(3);
    expect(state.entry(5)?.batches.map((b) => b.firstSequence)).toEqual([17, 40]);
    expect(leaderAppend(state, batch(5, 41, 3, { epoch: 3 }))).toEqual({ kind: 'new' });
  });

  it('evicts the least recently used producer beyond the bound', () => {
    const state = manager(3);
    for (const id of [1, 2, 3]) leaderAppend(state, batch(id, 0, id));
    leaderAppend(state, batch(1, 1, 10));
    leaderAppend(state, batch(4, 0, 11));
    expect(state.entries().map((entry) => entry.producerId)).toEqual([3, 1, 4]);
    expect(state.entry(2)).toBeUndefined();
  });

  it('expires producers idle longer than the expiration', () => {
    const state = manager();
    leaderAppend(state, batch(1, 0, 0), 0);
    leaderAppend(state, batch(2, 0, 1), 10 * HOUR_MS);
    expect(state.removeExpired(24 * HOUR_MS)).toBe(0);
    expect(state.removeExpired(24 * HOUR_MS + 1)).toBe(1);
    expect(state.entries().map((entry) => entry.producerId)).toEqual([2]);
    // A forgotten producer must start over at 0.
    expect(failureOf(() => leaderAppend(state, batch(1, 1, 2)))).toBe('OUT_OF_ORDER_SEQUENCE');
  });

  it('agrees with a naive model on random sends and retries', () => {
    // The model remembers every batch ever appended; the state must agree on every verdict as long as a
    // retry is of one of the producer's last 5 batches (older retries are out of the contract).
    const step = fc.record({
      producer: fc.integer({ min: 0, max: 3 }),
      retryBack: fc.integer({ min: 0, max: 6 }),
      records: fc.integer({ min: 1, max: 3 }),
      skip: fc.integer({ min: 0, max: 9 }),
    });
    fc.assert(
      fc.property(fc.array(step, { maxLength: 60 }), (steps) => {
        const state = manager();
        const sent = new Map<number, Array<{ first: number; records: number; offset: number }>>();
        let logEnd = 0;
        for (const { producer, retryBack, records, skip } of steps) {
          const history = sent.get(producer) ?? [];
          const last = history[history.length - 1];
          const next = last === undefined ? 0 : last.first + last.records;
          const retried = retryBack > 0 && retryBack <= Math.min(5, history.length);
          const original = retried ? history[history.length - retryBack] : undefined;
          const gap = !retried && skip === 0 && next > 0;
          const first = original?.first ?? (gap ? next + 1 : next);
          const count = original?.records ?? records;
          const attempt = () => leaderAppend(state, batch(producer, first, logEnd, { records: count }));
          if (original !== undefined) {
            expect(attempt()).toEqual({
              kind: 'duplicate',
              firstOffset: original.offset,
              lastOffset: original.offset + original.records - 1,
            });
          } else if (gap) {
            expect(failureOf(attempt)).toBe('OUT_OF_ORDER_SEQUENCE');
          } else {
            expect(attempt()).toEqual({ kind: 'new' });
            history.push({ first, records: count, offset: logEnd });
            sent.set(producer, history);
            logEnd += count;
          }
        }
      }),
      { numRuns: 200 },
    );
  });
});

describe('sequenceAhead (a batch that overtook its predecessor)', () => {
  it('is true only for a later sequence of the known epoch, or a new producer not starting at 0', () => {
    const state = manager();
    expect(state.sequenceAhead({ producerId: 7, producerEpoch: 0, baseSequence: 3 })).toBe(true);
    expect(state.sequenceAhead({ producerId: 7, producerEpoch: 0, baseSequence: 0 })).toBe(false);
    leaderAppend(state, batch(7, 0, 0, { records: 2 }));
    expect(state.sequenceAhead({ producerId: 7, producerEpoch: 0, baseSequence: 2 })).toBe(false);
    expect(state.sequenceAhead({ producerId: 7, producerEpoch: 0, baseSequence: 5 })).toBe(true);
    // Behind (a retry) and other epochs are for check() to judge.
    expect(state.sequenceAhead({ producerId: 7, producerEpoch: 0, baseSequence: 0 })).toBe(false);
    expect(state.sequenceAhead({ producerId: 7, producerEpoch: 1, baseSequence: 5 })).toBe(false);
    expect(state.sequenceAhead({ producerId: -1, producerEpoch: -1, baseSequence: -1 })).toBe(false);
  });

  it('reads the wrap: just past SEQUENCE_MAX is ahead, just before the expected one is behind', () => {
    const state = manager();
    const start = SEQUENCE_MAX - 1;
    state.applyEntries([
      {
        producerId: 9,
        producerEpoch: 0,
        batches: [
          { firstSequence: start, lastSequence: start, firstOffset: 0, lastOffset: 0, maxTimestamp: 0 },
        ],
        lastUpdateMs: 0,
      },
    ]);
    // Expected next: SEQUENCE_MAX. 1 lies two ahead of it (after the wrap); start - 5 lies behind.
    expect(state.sequenceAhead({ producerId: 9, producerEpoch: 0, baseSequence: SEQUENCE_MAX })).toBe(false);
    expect(state.sequenceAhead({ producerId: 9, producerEpoch: 0, baseSequence: 1 })).toBe(true);
    expect(state.sequenceAhead({ producerId: 9, producerEpoch: 0, baseSequence: start - 5 })).toBe(false);
  });
});
