import { TributaryError } from '@tributary/core';
import { describe, expect, it } from 'vitest';
import { fromPairs } from '../group/assignment.js';
import {
  type TxnCoordinatorConfig,
  TxnCoordinatorShard,
  txnStatePartitionFor,
} from './txn-coordinator-core.js';
import type { TxnStateRecord } from './txn-log-codec.js';
import type { RequestId, TxnEffect, TxnOutcome } from './txn-types.js';

const P0 = { topic: 't', partition: 0 };
const P1 = { topic: 't', partition: 1 };
const OFFSETS = { topic: '__consumer_offsets', partition: 3 };

type MarkersEffect = TxnEffect & { kind: 'write-markers' };

/** Runs a shard's effects at once (all succeed) except markers, which wait unless `autoMarkers`. */
class Driver {
  readonly replies = new Map<RequestId, TxnOutcome>();
  readonly log: TxnStateRecord[] = [];
  readonly markers: MarkersEffect[] = [];
  autoMarkers = true;
  nextProducerId = 1_000;
  nextRequestId = 1;
  nowMs = 1_000;
  shard: TxnCoordinatorShard;

  constructor(readonly config: Partial<TxnCoordinatorConfig> = {}) {
    this.shard = this.newShard(0);
    this.run(this.shard.completeLoad(this.nowMs));
  }

  newShard(coordinatorEpoch: number): TxnCoordinatorShard {
    return new TxnCoordinatorShard({
      partition: 0,
      coordinatorEpoch,
      offsetsPartitionFor: () => OFFSETS,
      config: { stateTopicPartitions: 1, ...this.config },
    });
  }

  run(effects: TxnEffect[]): void {
    const queue = [...effects];
    for (let effect = queue.shift(); effect !== undefined; effect = queue.shift()) {
      switch (effect.kind) {
        case 'allocate-producer-id':
          queue.push(
            ...this.shard.onProducerIdAllocated(effect.transitionId, this.nextProducerId++, this.nowMs),
          );
          break;
        case 'write-state':
          this.log.push(effect.record);
          queue.push(...this.shard.onStateWritten(effect.transitionId, this.nowMs));
          break;
        case 'write-markers':
          this.markers.push(effect);
          if (this.autoMarkers)
            queue.push(...this.shard.onMarkersWritten(effect.transitionId, effect.partitions, this.nowMs));
          break;
        case 'reply':
          expect(this.replies.has(effect.requestId)).toBe(false);
          this.replies.set(effect.requestId, effect.outcome);
          break;
      }
    }
  }

  /** Sends a request and returns its answer (undefined while it waits). */
  request(send: (shard: TxnCoordinatorShard, requestId: RequestId) => TxnEffect[]): TxnOutcome | undefined {
    const requestId = this.nextRequestId++;
    this.run(send(this.shard, requestId));
    return this.replies.get(requestId);
  }

  init(transactionalId = 'tx', expected = { producerId: -1, producerEpoch: -1 }): TxnOutcome | undefined {
    return this.request((s, id) =>
      s.initProducerId(id, { transactionalId, transactionTimeoutMs: 10_000, ...expected }, this.nowMs),
    );
  }

  add(producerId: number, producerEpoch: number, partitions = [P0, P1]): TxnOutcome | undefined {
    return this.request((s, id) =>
      s.addPartitionsToTxn(id, { transactionalId: 'tx', producerId, producerEpoch, partitions }, this.nowMs),
    );
  }

  end(producerId: number, producerEpoch: number, result: 'commit' | 'abort'): TxnOutcome | undefined {
    return this.request((s, id) =>
      s.endTxn(id, { transactionalId: 'tx', producerId, producerEpoch, result }, this.nowMs),
    );
  }
}

function errorCode(outcome: TxnOutcome | undefined): string | undefined {
  return outcome?.kind === 'error' ? outcome.error.code : outcome?.kind;
}

describe('TxnCoordinatorShard', () => {
  it('runs a committed transaction: Empty, Ongoing, PrepareCommit, markers, then the answer, CompleteCommit', () => {
    const d = new Driver();
    expect(d.init()).toEqual({ kind: 'producer-id', producerId: 1_000, producerEpoch: 0 });
    expect(d.add(1_000, 0)).toEqual({ kind: 'ok' });
    expect(
      d.request((s, id) =>
        s.addOffsetsToTxn(
          id,
          { transactionalId: 'tx', producerId: 1_000, producerEpoch: 0, groupId: 'g' },
          d.nowMs,
        ),
      ),
    ).toEqual({
      kind: 'ok',
    });
    expect(d.shard.metadata('tx')?.partitions).toEqual(fromPairs([P0, P1, OFFSETS]));
    d.autoMarkers = false;
    const requestId = d.nextRequestId;
    expect(d.end(1_000, 0, 'commit')).toBeUndefined();
    expect(d.shard.metadata('tx')?.state).toBe('PrepareCommit');
    const [markers] = d.markers;
    expect(markers).toMatchObject({
      marker: 'commit',
      producerId: 1_000,
      producerEpoch: 0,
      coordinatorEpoch: 0,
    });
    expect(markers?.partitions).toHaveLength(3);
    if (markers === undefined) return;
    // Meanwhile the id is busy, and a retry of the commit is told to wait.
    expect(errorCode(d.add(1_000, 0))).toBe('CONCURRENT_TRANSACTIONS');
    expect(errorCode(d.end(1_000, 0, 'commit'))).toBe('CONCURRENT_TRANSACTIONS');
    d.run(d.shard.onMarkersWritten(markers.transitionId, [P0, OFFSETS], d.nowMs));
    expect(d.replies.get(requestId)).toBeUndefined();
    d.run(d.shard.onMarkersFailed(markers.transitionId, [P1]));
    expect(d.markers.at(-1)?.partitions).toEqual([P1]);
    d.run(d.shard.onMarkersWritten(markers.transitionId, [P1], d.nowMs));
    expect(d.replies.get(requestId)).toEqual({ kind: 'ok' });
    expect(d.shard.metadata('tx')).toMatchObject({ state: 'CompleteCommit', partitions: new Map() });
    expect(d.log.map((r) => r.value?.transactionStatus)).toEqual([0, 1, 1, 2, 4]);
    // Kafka's answers to repeated EndTxns.
    expect(d.end(1_000, 0, 'commit')).toEqual({ kind: 'ok' });
    expect(errorCode(d.end(1_000, 0, 'abort'))).toBe('INVALID_TXN_STATE');
  });

  it("answers EndTxn at PrepareCommit when configured as Kafka's", () => {
    const d = new Driver({ endTxnAnswer: 'after-prepare' });
    d.init();
    d.add(1_000, 0);
    d.autoMarkers = false;
    expect(d.end(1_000, 0, 'commit')).toEqual({ kind: 'ok' });
    expect(d.shard.metadata('tx')?.state).toBe('PrepareCommit');
  });

  it('fences a zombie: InitProducerId aborts its Ongoing transaction at epoch + 1 and bumps again on retry', () => {
    const d = new Driver();
    d.init();
    d.add(1_000, 0);
    expect(errorCode(d.init())).toBe('CONCURRENT_TRANSACTIONS');
    expect(d.markers.at(-1)).toMatchObject({ marker: 'abort', producerEpoch: 1, partitions: [P0, P1] });
    expect(d.shard.metadata('tx')).toMatchObject({ state: 'CompleteAbort', producerEpoch: 1 });
    expect(d.init()).toEqual({ kind: 'producer-id', producerId: 1_000, producerEpoch: 2 });
    expect(errorCode(d.add(1_000, 0))).toBe('PRODUCER_FENCED');
    expect(errorCode(d.end(1_000, 1, 'commit'))).toBe('PRODUCER_FENCED');
    expect(d.add(1_000, 2)).toEqual({ kind: 'ok' });
  });

  it('rotates to a new producer id when the epoch is exhausted', () => {
    const d = new Driver({ producerEpochMax: 3 });
    expect(d.init()).toMatchObject({ producerEpoch: 0 });
    expect(d.init()).toMatchObject({ producerEpoch: 1 });
    expect(d.init()).toMatchObject({ producerEpoch: 2 });
    expect(d.init()).toEqual({ kind: 'producer-id', producerId: 1_001, producerEpoch: 0 });
    expect(d.shard.metadata('tx')).toMatchObject({ lastProducerId: 1_000 });
  });

  it('aborts timed-out transactions with an epoch bump', () => {
    const d = new Driver();
    d.init();
    d.add(1_000, 0);
    d.nowMs += 10_000;
    d.run(d.shard.abortTimedOutTransactions(d.nowMs));
    expect(d.markers).toHaveLength(0);
    d.nowMs += 1;
    d.run(d.shard.abortTimedOutTransactions(d.nowMs));
    expect(d.markers.at(-1)).toMatchObject({ marker: 'abort', producerEpoch: 1 });
    expect(d.shard.metadata('tx')).toMatchObject({ state: 'CompleteAbort', producerEpoch: 1 });
    expect(errorCode(d.end(1_000, 0, 'commit'))).toBe('PRODUCER_FENCED');
  });

  it('answers a failed state write with its error and keeps the written state', () => {
    const d = new Driver();
    d.init();
    const effects = d.shard.addPartitionsToTxn(
      99,
      { transactionalId: 'tx', producerId: 1_000, producerEpoch: 0, partitions: [P0] },
      d.nowMs,
    );
    const write = effects[0];
    expect(write?.kind).toBe('write-state');
    if (write?.kind !== 'write-state') return;
    const failed = new TributaryError('NOT_COORDINATOR', 'leadership moved');
    expect(d.shard.onStateWriteFailed(write.transitionId, failed)).toEqual([
      { kind: 'reply', requestId: 99, outcome: { kind: 'error', error: failed } },
    ]);
    expect(d.shard.metadata('tx')?.state).toBe('Empty');
    expect(d.shard.pendingState('tx')).toBeNull();
  });

  it('writes Complete* again when its write fails: the outcome is already decided', () => {
    const d = new Driver();
    d.init();
    d.add(1_000, 0);
    d.autoMarkers = false;
    d.end(1_000, 0, 'abort');
    const markers = d.markers[0];
    if (markers === undefined) throw new Error('no markers');
    const [answer, complete] = d.shard.onMarkersWritten(markers.transitionId, [P0, P1], d.nowMs);
    expect(answer).toMatchObject({ kind: 'reply', outcome: { kind: 'ok' } });
    if (complete?.kind !== 'write-state') throw new Error('no Complete write');
    expect(
      d.shard.onStateWriteFailed(complete.transitionId, new TributaryError('COORDINATOR_NOT_AVAILABLE', 'x')),
    ).toEqual([complete]);
    d.run(d.shard.onStateWritten(complete.transitionId, d.nowMs));
    expect(d.shard.metadata('tx')?.state).toBe('CompleteAbort');
  });

  it('loads the written records; prepared transactions resume their markers with the new coordinator epoch', () => {
    const d = new Driver();
    d.init();
    d.add(1_000, 0);
    d.autoMarkers = false;
    d.end(1_000, 0, 'commit');
    const before = d.shard.metadata('tx');
    const waiting = d.shard.unload();
    expect(waiting).toHaveLength(1);
    expect(waiting[0]).toMatchObject({
      kind: 'reply',
      outcome: { kind: 'error', error: { code: 'NOT_COORDINATOR' } },
    });
    d.shard = d.newShard(1);
    expect(errorCode(d.init())).toBe('COORDINATOR_LOAD_IN_PROGRESS');
    for (const record of d.log) d.shard.replay(record);
    d.autoMarkers = true;
    d.run(d.shard.completeLoad(d.nowMs));
    expect(d.markers.at(-1)).toMatchObject({ marker: 'commit', coordinatorEpoch: 1, partitions: [P0, P1] });
    expect(d.shard.metadata('tx')).toEqual({ ...before, state: 'CompleteCommit', partitions: new Map() });
  });

  it('expires resting transactional ids with a tombstone', () => {
    const d = new Driver({ transactionalIdExpirationMs: 1_000 });
    d.init();
    d.nowMs += 1_000;
    d.run(d.shard.removeExpiredTransactionalIds(d.nowMs));
    expect(d.log.at(-1)).toEqual({ transactionalId: 'tx', value: null });
    expect(d.shard.metadata('tx')).toBeNull();
    expect(d.shard.describe(['tx'])[0]).toMatchObject({
      kind: 'error',
      error: { code: 'TRANSACTIONAL_ID_NOT_FOUND' },
    });
  });

  it('refuses bad requests before looking at state', () => {
    const d = new Driver({ transactionMaxTimeoutMs: 5_000 });
    expect(errorCode(d.init())).toBe('INVALID_TRANSACTION_TIMEOUT');
    expect(
      errorCode(
        d.request((s, id) =>
          s.initProducerId(
            id,
            { transactionalId: '', transactionTimeoutMs: 1, producerId: -1, producerEpoch: -1 },
            0,
          ),
        ),
      ),
    ).toBe('INVALID_REQUEST');
    expect(errorCode(d.add(1, 0, []))).toBe('INVALID_REQUEST');
    expect(errorCode(d.add(1, 0))).toBe('INVALID_PRODUCER_ID_MAPPING');
    const other = new TxnCoordinatorShard({
      partition: 1,
      coordinatorEpoch: 0,
      offsetsPartitionFor: () => OFFSETS,
      config: { stateTopicPartitions: 2 },
    });
    other.completeLoad(0);
    const tx0 = ['a', 'b', 'c', 'd'].find((id) => txnStatePartitionFor(id, 2) === 0) ?? 'a';
    expect(
      other.initProducerId(
        1,
        { transactionalId: tx0, transactionTimeoutMs: 1, producerId: -1, producerEpoch: -1 },
        0,
      ),
    ).toMatchObject([{ outcome: { kind: 'error', error: { code: 'NOT_COORDINATOR' } } }]);
  });

  it('describes and lists transactions with filters', () => {
    const d = new Driver();
    d.init();
    d.add(1_000, 0);
    d.request((s, id) =>
      s.initProducerId(
        id,
        { transactionalId: 'other', transactionTimeoutMs: 10_000, producerId: -1, producerEpoch: -1 },
        d.nowMs,
      ),
    );
    expect(d.shard.describe(['tx'])).toEqual([
      {
        kind: 'found',
        description: {
          transactionalId: 'tx',
          state: 'Ongoing',
          producerId: 1_000,
          producerEpoch: 0,
          timeoutMs: 10_000,
          txnStartMs: 1_000,
          partitions: fromPairs([P0, P1]),
        },
      },
    ]);
    expect(d.shard.list({}, d.nowMs).map((l) => l.transactionalId)).toEqual(['other', 'tx']);
    expect(d.shard.list({ states: ['Ongoing'] }, d.nowMs)).toEqual([
      { transactionalId: 'tx', producerId: 1_000, state: 'Ongoing' },
    ]);
    expect(d.shard.list({ producerIds: [1_001] }, d.nowMs).map((l) => l.transactionalId)).toEqual(['other']);
    expect(d.shard.list({ durationMs: 500 }, d.nowMs + 499)).toEqual([]);
    expect(d.shard.list({ durationMs: 500 }, d.nowMs + 500).map((l) => l.transactionalId)).toEqual(['tx']);
  });

  it('refuses to list while loading (COORDINATOR_LOAD_IN_PROGRESS) and lists nothing once closed', () => {
    const d = new Driver();
    const loading = d.newShard(1);
    expect(() => loading.list({}, d.nowMs)).toThrow(
      expect.objectContaining({ code: 'COORDINATOR_LOAD_IN_PROGRESS' }),
    );
    d.run(loading.completeLoad(d.nowMs));
    expect(loading.list({}, d.nowMs)).toEqual([]);
  });

  it("routes transactional ids as Kafka's partitionFor (Java String.hashCode)", () => {
    expect(txnStatePartitionFor('', 50)).toBe(0);
    expect(txnStatePartitionFor('hello', 50)).toBe(99_162_322 % 50);
    // "polygenelubricants".hashCode() is Integer.MIN_VALUE, whose Utils.abs is 0.
    expect(txnStatePartitionFor('polygenelubricants', 50)).toBe(0);
  });
});
