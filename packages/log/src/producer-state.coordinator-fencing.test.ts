/**
 * Coordinator fencing of transaction markers (Kafka's TransactionCoordinatorFencedException): the leader
 * refuses a marker whose coordinator epoch is older than the last marker its producer got in this
 * partition, and changes nothing; followers and recovery take the epochs the log holds.
 */
import { describe, expect, it } from 'vitest';
import { LogAppendError } from './append-validation.js';
import { type ProducerBatch, ProducerStateManager } from './producer-state.js';

function manager(): ProducerStateManager {
  return new ProducerStateManager({ producerIdExpirationMs: 60_000 });
}

function txnData(offset: number, sequence: number, epoch = 0): ProducerBatch {
  return {
    producerId: 7,
    producerEpoch: epoch,
    baseSequence: sequence,
    firstOffset: offset,
    lastOffset: offset,
    maxTimestamp: 0,
    isTransactional: true,
  };
}

function marker(
  offset: number,
  options: { coordinatorEpoch?: number; epoch?: number; kind?: 'commit' | 'abort' } = {},
): ProducerBatch {
  return {
    producerId: 7,
    producerEpoch: options.epoch ?? 0,
    baseSequence: -1,
    firstOffset: offset,
    lastOffset: offset,
    maxTimestamp: 0,
    isTransactional: true,
    isControl: true,
    controlMarker: options.kind ?? 'abort',
    ...(options.coordinatorEpoch === undefined ? {} : { coordinatorEpoch: options.coordinatorEpoch }),
  };
}

/** One leader append; the failure's name, or 'accepted' once committed. */
function leader(state: ProducerStateManager, ...batches: ProducerBatch[]): string {
  const append = state.beginAppend();
  try {
    for (const batch of batches) append.check(batch, 0, 'coordinator');
  } catch (error) {
    if (error instanceof LogAppendError) return error.failure;
    throw error;
  }
  append.commit();
  return 'accepted';
}

function follower(state: ProducerStateManager, ...batches: ProducerBatch[]): void {
  const append = state.beginAppend();
  for (const batch of batches) append.record(batch, 0);
  append.commit();
}

/** Everything a refused marker must leave as it was. */
function snapshotOf(state: ProducerStateManager) {
  return {
    entries: state.entries(),
    ongoing: state.ongoingTransactions(),
    firstUnstableOffset: state.firstUnstableOffset,
    lastTransactionalOffset: state.lastTransactionalOffset,
  };
}

describe('ProducerStateManager coordinator fencing', () => {
  it('refuses a marker from an older coordinator and leaves the state as it was', () => {
    const state = manager();
    expect(leader(state, txnData(0, 0), marker(1, { coordinatorEpoch: 4, kind: 'commit' }))).toBe('accepted');
    expect(leader(state, txnData(2, 1))).toBe('accepted');
    const before = snapshotOf(state);
    // A deposed coordinator's late ABORT must not end the transaction its successor owns.
    const refused = state.beginAppend();
    expect(() => refused.check(marker(3, { coordinatorEpoch: 3 }), 0, 'coordinator')).toThrow(
      expect.objectContaining({
        failure: 'TRANSACTION_COORDINATOR_FENCED',
        code: 'TRANSACTION_COORDINATOR_FENCED',
      }),
    );
    expect(refused.completedTransactions).toEqual([]);
    expect(snapshotOf(state)).toEqual(before);
    expect(state.entry(7)?.coordinatorEpoch).toBe(4);
    expect(state.firstUnstableOffset).toBe(2);
  });

  it('accepts an equal and a higher coordinator epoch, and remembers the higher', () => {
    const state = manager();
    expect(leader(state, txnData(0, 0), marker(1, { coordinatorEpoch: 4 }))).toBe('accepted');
    expect(leader(state, txnData(2, 1), marker(3, { coordinatorEpoch: 4 }))).toBe('accepted');
    expect(state.entry(7)?.coordinatorEpoch).toBe(4);
    expect(leader(state, txnData(4, 2), marker(5, { coordinatorEpoch: 6, kind: 'commit' }))).toBe('accepted');
    expect(state.entry(7)?.coordinatorEpoch).toBe(6);
    expect(state.firstUnstableOffset).toBeNull();
    expect(leader(state, marker(6, { coordinatorEpoch: 5 }))).toBe('TRANSACTION_COORDINATOR_FENCED');
  });

  it('sees an earlier marker of the same append', () => {
    const state = manager();
    expect(leader(state, marker(0, { coordinatorEpoch: 3 }), marker(1, { coordinatorEpoch: 2 }))).toBe(
      'TRANSACTION_COORDINATOR_FENCED',
    );
    // The whole append was refused: nothing of the first marker stayed either.
    expect(state.entry(7)).toBeUndefined();
  });

  it('fences by coordinator epoch even when the producer epoch is newer', () => {
    const state = manager();
    expect(leader(state, marker(0, { coordinatorEpoch: 3 }))).toBe('accepted');
    expect(leader(state, marker(1, { coordinatorEpoch: 2, epoch: 1 }))).toBe(
      'TRANSACTION_COORDINATOR_FENCED',
    );
    expect(state.entry(7)?.producerEpoch).toBe(0);
    expect(leader(state, marker(2, { coordinatorEpoch: 9, epoch: 0 }))).toBe('accepted');
    expect(leader(state, txnData(3, 0, 2))).toBe('accepted');
    // Older in both: the producer epoch answers, as Kafka checks it first.
    expect(leader(state, marker(4, { coordinatorEpoch: 1, epoch: 1 }))).toBe('INVALID_PRODUCER_EPOCH');
  });

  it('opens an entry for a producer it has no entry for, with the marker coordinator epoch', () => {
    const state = manager();
    expect(leader(state, marker(0, { coordinatorEpoch: 2, epoch: 5 }))).toBe('accepted');
    expect(state.entry(7)).toMatchObject({ producerEpoch: 5, batches: [], coordinatorEpoch: 2 });
    expect(state.firstUnstableOffset).toBeNull();
    expect(leader(state, marker(1, { coordinatorEpoch: 1, epoch: 5 }))).toBe(
      'TRANSACTION_COORDINATOR_FENCED',
    );
  });

  it('treats a marker without a coordinator epoch as older than any', () => {
    const state = manager();
    expect(leader(state, marker(0))).toBe('accepted');
    expect(state.entry(7)).not.toHaveProperty('coordinatorEpoch');
    expect(leader(state, marker(1, { coordinatorEpoch: 0 }))).toBe('accepted');
    expect(leader(state, marker(2))).toBe('TRANSACTION_COORDINATOR_FENCED');
  });

  it('keeps the coordinator epoch across data batches and a producer epoch bump', () => {
    const state = manager();
    expect(leader(state, txnData(0, 0), marker(1, { coordinatorEpoch: 5 }))).toBe('accepted');
    expect(leader(state, txnData(2, 0, 1), txnData(3, 1, 1))).toBe('accepted');
    expect(state.entry(7)).toMatchObject({ producerEpoch: 1, coordinatorEpoch: 5 });
    expect(leader(state, marker(4, { coordinatorEpoch: 4, epoch: 1 }))).toBe(
      'TRANSACTION_COORDINATOR_FENCED',
    );
  });

  it('records what the leader wrote, a lower coordinator epoch included, and the leader check then uses it', () => {
    const state = manager();
    follower(state, txnData(0, 0), marker(1, { coordinatorEpoch: 8, kind: 'commit' }));
    expect(state.entry(7)?.coordinatorEpoch).toBe(8);
    // A log only the follower's old state was ahead of (Kafka's replication path logs and takes it).
    follower(state, txnData(2, 1), marker(3, { coordinatorEpoch: 6 }));
    expect(state.entry(7)?.coordinatorEpoch).toBe(6);
    expect(state.firstUnstableOffset).toBeNull();
    // A marker of an older producer epoch is ignored whole, its coordinator epoch too.
    follower(state, txnData(4, 0, 1), marker(5, { coordinatorEpoch: 9, epoch: 0 }));
    expect(state.entry(7)).toMatchObject({ producerEpoch: 1, coordinatorEpoch: 6, currentTxnFirstOffset: 4 });
    // Once leader, the recorded epoch fences.
    expect(leader(state, marker(6, { coordinatorEpoch: 5, epoch: 1 }))).toBe(
      'TRANSACTION_COORDINATOR_FENCED',
    );
    expect(leader(state, marker(6, { coordinatorEpoch: 6, epoch: 1 }))).toBe('accepted');
  });

  it('restores the coordinator epoch from a snapshot', () => {
    const state = manager();
    state.restore([{ producerId: 7, producerEpoch: 0, batches: [], coordinatorEpoch: 3 }], 0);
    expect(leader(state, marker(0, { coordinatorEpoch: 2 }))).toBe('TRANSACTION_COORDINATOR_FENCED');
    expect(leader(state, marker(0, { coordinatorEpoch: 3 }))).toBe('accepted');
  });
});
