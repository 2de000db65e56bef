/**
 * The group coordinator's writes for a producer (origin 'coordinator': TxnOffsetCommit's offsets in
 * __consumer_offsets): Kafka checks their epoch but not their sequence, which is always 0.
 */
import { describe, expect, it } from 'vitest';
import { LogAppendError } from './append-validation.js';
import { type ProducerBatch, ProducerStateManager } from './producer-state.js';

function offsets(offset: number, epoch = 0, txn = true): ProducerBatch {
  return {
    producerId: 7,
    producerEpoch: epoch,
    baseSequence: 0,
    firstOffset: offset,
    lastOffset: offset + 1,
    maxTimestamp: 0,
    isTransactional: txn,
  };
}

function append(state: ProducerStateManager, batch: ProducerBatch, origin: 'client' | 'coordinator'): string {
  const producers = state.beginAppend();
  try {
    const verdict = producers.check(batch, 0, origin);
    producers.commit();
    return verdict.kind;
  } catch (error) {
    if (error instanceof LogAppendError) return error.failure;
    throw error;
  }
}

describe('ProducerStateManager with origin coordinator', () => {
  it('appends every batch at sequence 0 and opens the transaction at the first', () => {
    const state = new ProducerStateManager({ producerIdExpirationMs: 60_000 });
    expect(append(state, offsets(10), 'coordinator')).toBe('new');
    expect(append(state, offsets(20), 'coordinator')).toBe('new');
    expect(state.firstUnstableOffset).toBe(10);
    // The same batch from a client is a duplicate of the retained one (the client's rules).
    expect(append(state, offsets(30), 'client')).toBe('duplicate');
  });

  it('fences an older epoch and a plain batch inside the transaction', () => {
    const state = new ProducerStateManager({ producerIdExpirationMs: 60_000 });
    expect(append(state, offsets(10, 3), 'coordinator')).toBe('new');
    expect(append(state, offsets(20, 2), 'coordinator')).toBe('INVALID_PRODUCER_EPOCH');
    expect(append(state, offsets(20, 3, false), 'coordinator')).toBe('NOT_TRANSACTIONAL_IN_TRANSACTION');
    expect(append(state, offsets(20, 4), 'coordinator')).toBe('new');
  });

  it('still refuses producer fields no client could have meant', () => {
    const state = new ProducerStateManager({ producerIdExpirationMs: 60_000 });
    expect(append(state, { ...offsets(10), baseSequence: -1 }, 'coordinator')).toBe(
      'INVALID_PRODUCER_FIELDS',
    );
  });
});
