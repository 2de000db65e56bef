import { describe, expect, it } from 'vitest';
import { LogAppendError } from './append-validation.js';
import { type ProducerBatch, ProducerStateManager } from './producer-state.js';

function manager(): ProducerStateManager {
  return new ProducerStateManager({ producerIdExpirationMs: 60_000 });
}

function data(
  producerId: number,
  sequence: number,
  offset: number,
  options: { epoch?: number; txn?: boolean } = {},
): ProducerBatch {
  return {
    producerId,
    producerEpoch: options.epoch ?? 0,
    baseSequence: sequence,
    firstOffset: offset,
    lastOffset: offset,
    maxTimestamp: 0,
    isTransactional: options.txn ?? true,
  };
}

function marker(
  producerId: number,
  offset: number,
  kind: 'commit' | 'abort' | null,
  epoch = 0,
): ProducerBatch {
  return {
    producerId,
    producerEpoch: epoch,
    baseSequence: -1,
    firstOffset: offset,
    lastOffset: offset,
    maxTimestamp: 0,
    isTransactional: true,
    isControl: true,
    controlMarker: kind,
  };
}

/** One leader append of `batches`; returns the transactions it completed. */
function leader(state: ProducerStateManager, ...batches: ProducerBatch[]) {
  const append = state.beginAppend();
  for (const batch of batches) append.check(batch, 0);
  append.commit();
  return append.completedTransactions;
}

function failure(run: () => unknown): string {
  try {
    run();
  } catch (error) {
    if (error instanceof LogAppendError) return error.failure;
    throw error;
  }
  return 'accepted';
}

describe('ProducerStateManager transactions', () => {
  it('opens a transaction at its first batch and closes it with a marker', () => {
    const state = manager();
    leader(state, data(1, 0, 10), data(1, 1, 11));
    expect(state.entry(1)?.currentTxnFirstOffset).toBe(10);
    expect(state.firstUnstableOffset).toBe(10);
    expect(leader(state, marker(1, 12, 'commit'))).toEqual([
      { producerId: 1, firstOffset: 10, lastOffset: 12, aborted: false, lastStableOffset: 13 },
    ]);
    expect(state.firstUnstableOffset).toBeNull();
    // The same epoch continues its sequence after the marker.
    expect(failure(() => leader(state, data(1, 2, 13)))).toBe('accepted');
  });

  it('orders open transactions by first offset; an abort reports the LSO right after it', () => {
    const state = manager();
    leader(state, data(1, 0, 0), data(2, 0, 1), data(3, 0, 2));
    expect(state.ongoingTransactions()).toEqual([
      { producerId: 1, firstOffset: 0 },
      { producerId: 2, firstOffset: 1 },
      { producerId: 3, firstOffset: 2 },
    ]);
    expect(leader(state, marker(2, 3, 'abort'))).toEqual([
      { producerId: 2, firstOffset: 1, lastOffset: 3, aborted: true, lastStableOffset: 0 },
    ]);
    expect(leader(state, marker(1, 4, 'abort'))[0]?.lastStableOffset).toBe(2);
    expect(state.firstUnstableOffset).toBe(2);
  });

  it('writes a marker for a producer without a transaction as a no-op (Kafka writes it anyway)', () => {
    const state = manager();
    expect(leader(state, marker(7, 0, 'abort'))).toEqual([]);
    expect(state.entry(7)).toMatchObject({ producerEpoch: 0, batches: [] });
    expect(state.firstUnstableOffset).toBeNull();
    // No batch of the epoch yet: the producer starts at sequence 0.
    expect(failure(() => leader(state, data(7, 3, 1)))).toBe('OUT_OF_ORDER_SEQUENCE');
    expect(failure(() => leader(state, data(7, 0, 1)))).toBe('accepted');
  });

  it('fences a marker from an older epoch and, after a bumping marker, the old epoch', () => {
    const state = manager();
    leader(state, data(1, 0, 0, { epoch: 3 }));
    expect(failure(() => leader(state, marker(1, 1, 'abort', 2)))).toBe('INVALID_PRODUCER_EPOCH');
    expect(state.firstUnstableOffset).toBe(0);
    expect(leader(state, marker(1, 1, 'abort', 4))).toHaveLength(1);
    expect(failure(() => leader(state, data(1, 1, 2, { epoch: 3 })))).toBe('INVALID_PRODUCER_EPOCH');
    expect(failure(() => leader(state, data(1, 0, 2, { epoch: 4 })))).toBe('accepted');
    expect(state.firstUnstableOffset).toBe(2);
  });

  it('keeps an open transaction open across an epoch bump, so one marker covers all its batches', () => {
    const state = manager();
    leader(state, data(1, 0, 0), data(1, 0, 1, { epoch: 1 }));
    expect(state.firstUnstableOffset).toBe(0);
    expect(leader(state, marker(1, 2, 'abort', 1))[0]).toMatchObject({ firstOffset: 0, lastOffset: 2 });
  });

  it('refuses a non-transactional batch inside a transaction, unreadable markers and markers without producer', () => {
    const state = manager();
    leader(state, data(1, 0, 0));
    expect(failure(() => leader(state, data(1, 1, 1, { txn: false })))).toBe(
      'NOT_TRANSACTIONAL_IN_TRANSACTION',
    );
    expect(failure(() => leader(state, marker(1, 1, null)))).toBe('INVALID_CONTROL_BATCH');
    expect(failure(() => leader(state, marker(-1, 1, 'commit')))).toBe('INVALID_PRODUCER_FIELDS');
    expect(state.firstUnstableOffset).toBe(0);
  });

  it('does not expire a producer with an open transaction, and a truncation below a marker rebuilds', () => {
    const state = manager();
    leader(state, data(1, 0, 0), data(2, 0, 1, { txn: false }));
    expect(state.removeExpired(120_000)).toBe(1);
    expect(state.entry(1)).toBeDefined();
    leader(state, marker(1, 5, 'commit'));
    expect(state.hasBatchesFrom(5)).toBe(true);
    expect(state.hasBatchesFrom(6)).toBe(false);
  });

  it('records (follower) markers without checks, but ignores stale and unreadable ones', () => {
    const state = manager();
    const append = state.beginAppend();
    append.record(data(1, 0, 0, { epoch: 2 }), 0);
    append.record(marker(1, 1, 'abort', 1), 0);
    append.record(marker(1, 2, null, 2), 0);
    append.commit();
    expect(state.firstUnstableOffset).toBe(0);
    const next = state.beginAppend();
    next.record(marker(1, 3, 'abort', 2), 0);
    next.commit();
    expect(next.completedTransactions).toEqual([
      { producerId: 1, firstOffset: 0, lastOffset: 3, aborted: true, lastStableOffset: 4 },
    ]);
  });
});
