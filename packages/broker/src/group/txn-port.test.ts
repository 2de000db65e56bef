/**
 * The gRPC side of transactional offsets: the TxnOffsetCommitPort validates and answers every partition,
 * the marker listener ends the transaction, and OffsetFetch with require_stable answers
 * UNSTABLE_OFFSET_COMMIT while a transaction's offsets are pending (KIP-447).
 */
import { waitFor } from '@tributary/core/testing';
import type { TxnOffsetCommitRequest__Output } from '@tributary/protocol';
import { describe, expect, it } from 'vitest';
import { OFFSETS_TOPIC } from './limits.js';
import { setUp } from './testing/coordinator-fixture.js';
import { groupTxnPorts } from './txn-port.js';

function request(overrides: Partial<TxnOffsetCommitRequest__Output> = {}): TxnOffsetCommitRequest__Output {
  return {
    transactionalId: 'tx',
    groupId: 'g',
    producerId: 42,
    producerEpoch: 0,
    generationId: -1,
    memberId: '',
    topics: [
      {
        name: 't',
        partitions: [
          { partition: 0, offset: 5, leaderEpoch: -1, metadata: '' },
          { partition: 1, offset: 6, leaderEpoch: -1, metadata: '' },
        ],
      },
    ],
    ...overrides,
  };
}

describe('TxnOffsetCommitPort (group coordinator)', () => {
  it('answers every partition, and the marker listener commits them', async () => {
    const { coordinator, lead, partition } = setUp();
    lead(partition);
    await waitFor('loaded', () => coordinator.shardStates().get(partition) === 'active');
    const ports = groupTxnPorts(coordinator);
    const answer = await ports.txnOffsetCommit.txnOffsetCommit(request());
    expect(answer.results?.map((r) => [r.partition, r.errorCode])).toEqual([
      [0, ''],
      [1, ''],
    ]);
    expect(coordinator.unstablePartitions('g', null)).toEqual([
      { topic: 't', partition: 0 },
      { topic: 't', partition: 1 },
    ]);
    ports.markerListener.onMarkerWritten(OFFSETS_TOPIC, partition, 42, 0, true);
    expect(coordinator.fetchOffsets('g', null).map((c) => c.offset)).toEqual([5, 6]);
  });

  it('refuses bad fields and answers the coordinator errors per partition', async () => {
    const { coordinator, lead, partition } = setUp();
    const ports = groupTxnPorts(coordinator);
    const codes = async (r: TxnOffsetCommitRequest__Output) =>
      (await ports.txnOffsetCommit.txnOffsetCommit(r)).results?.map((x) => x.errorCode);
    expect(await codes(request())).toEqual(['NOT_COORDINATOR', 'NOT_COORDINATOR']);
    lead(partition);
    await waitFor('loaded', () => coordinator.shardStates().get(partition) === 'active');
    expect(await codes(request({ transactionalId: '' }))).toEqual(['INVALID_REQUEST', 'INVALID_REQUEST']);
    expect(await codes(request({ producerEpoch: 40_000 }))).toEqual(['INVALID_REQUEST', 'INVALID_REQUEST']);
    expect(await codes(request({ groupId: '' }))).toEqual(['INVALID_GROUP_ID', 'INVALID_GROUP_ID']);
    expect(await codes(request({ generationId: 3 }))).toEqual(['ILLEGAL_GENERATION', 'ILLEGAL_GENERATION']);
  });
});
