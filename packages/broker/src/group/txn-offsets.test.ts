/**
 * Transactional offset commits in the coordinator shell, against the fakes (a scripted data plane holding
 * the partition's batches, markers appended as the transaction coordinator writes them): pending until the
 * marker, visible after COMMIT, gone after ABORT, reloaded from the log with the same outcome, UNSTABLE
 * partitions for require_stable, the fencing of TxnOffsetCommit, and a marker acknowledged while the
 * offsets write is still in flight (applied after it, as the log orders them).
 */
import { waitFor } from '@tributary/core/testing';
import { decodeRecordBatch } from '@tributary/records';
import { describe, expect, it } from 'vitest';
import { OFFSETS_TOPIC } from './limits.js';
import { setUp } from './testing/coordinator-fixture.js';
import type { TxnOffsetCommitInput } from './txn-offsets.js';

const P0 = { topic: 't', partition: 0 };

function txnCommit(offset: number, overrides: Partial<TxnOffsetCommitInput> = {}): TxnOffsetCommitInput {
  return {
    groupId: 'g',
    transactionalId: 'tx',
    producerId: 42,
    producerEpoch: 3,
    generationId: -1,
    memberId: '',
    groupInstanceId: null,
    commits: [{ ...P0, offset, leaderEpoch: -1, metadata: 'm' }],
    ...overrides,
  };
}

async function loaded(dataTopics: ReadonlyMap<string, number> = new Map()) {
  const fixture = setUp(2, {}, dataTopics);
  fixture.lead(fixture.partition);
  await waitFor('loaded', () => fixture.coordinator.shardStates().get(fixture.partition) === 'active');
  const offsetOf = () => fixture.coordinator.fetchOffsets('g', [P0]).map((c) => c.offset);
  const marker = (commit: boolean, producerId = 42) => {
    fixture.dataPlane.appendMarker(fixture.partition, producerId, commit, 3);
    fixture.coordinator.transactions.onMarkerWritten(OFFSETS_TOPIC, fixture.partition, producerId, 3, commit);
  };
  return { ...fixture, offsetOf, marker };
}

describe('transactional offset commits (shell, fakes)', () => {
  it('writes the producer transactional batch at sequence 0 and keeps the offsets pending until COMMIT', async () => {
    const { coordinator, dataPlane, partition, offsetOf, marker } = await loaded();
    await coordinator.commitOffsets('g', { memberId: '', memberEpoch: -1 }, [
      { ...P0, offset: 3, leaderEpoch: -1, metadata: '' },
    ]);
    await coordinator.txnCommitOffsets(txnCommit(7));
    const batch = decodeRecordBatch(dataPlane.logs.get(partition)?.[1] ?? Buffer.alloc(0));
    expect([batch.producerId, batch.producerEpoch, batch.baseSequence, batch.isTransactional]).toEqual([
      42,
      3,
      0,
      true,
    ]);
    expect(offsetOf()).toEqual([3]);
    expect(coordinator.unstablePartitions('g', [P0, { topic: 't', partition: 1 }])).toEqual([P0]);
    marker(true);
    expect(offsetOf()).toEqual([7]);
    expect(coordinator.unstablePartitions('g', [P0])).toEqual([]);
  });

  it('drops the offsets on ABORT', async () => {
    const { coordinator, offsetOf, marker } = await loaded();
    await coordinator.txnCommitOffsets(txnCommit(7));
    marker(false);
    expect(offsetOf()).toEqual([]);
    expect(coordinator.unstablePartitions('g', [P0])).toEqual([]);
  });

  it('reloads from the log with the markers honoured, and an open transaction still pending', async () => {
    const { coordinator, lead, partition, marker } = await loaded();
    await coordinator.txnCommitOffsets(txnCommit(7, { producerId: 1 }));
    marker(true, 1);
    await coordinator.txnCommitOffsets(txnCommit(9, { producerId: 2 }));
    marker(false, 2);
    await coordinator.txnCommitOffsets(
      txnCommit(11, {
        producerId: 3,
        commits: [{ topic: 't', partition: 1, offset: 11, leaderEpoch: -1, metadata: '' }],
      }),
    );
    lead(partition, true, 1);
    await waitFor('reloaded', () => coordinator.shardStates().get(partition) === 'active');
    expect(coordinator.fetchOffsets('g', null).map((c) => [c.partition, c.offset])).toEqual([[0, 7]]);
    expect(coordinator.unstablePartitions('g', [{ topic: 't', partition: 1 }])).toHaveLength(1);
    marker(true, 3);
    expect(coordinator.fetchOffsets('g', null).map((c) => [c.partition, c.offset])).toEqual([
      [0, 7],
      [1, 11],
    ]);
  });

  it('applies markers written while the shard loads once the load is done', async () => {
    const { coordinator, dataPlane, lead, partition, marker } = await loaded();
    await coordinator.txnCommitOffsets(txnCommit(7));
    let open: () => void = () => undefined;
    dataPlane.gate = new Promise((resolve) => {
      open = resolve;
    });
    lead(partition, true, 1);
    marker(true);
    dataPlane.gate = null;
    open();
    await waitFor('reloaded', () => coordinator.shardStates().get(partition) === 'active');
    expect(coordinator.fetchOffsets('g', [P0]).map((c) => c.offset)).toEqual([7]);
  });

  it('applies a marker acknowledged during the offsets write after that write', async () => {
    const { coordinator, dataPlane, partition, offsetOf } = await loaded();
    let release: () => void = () => undefined;
    const gate = new Promise<void>((resolve) => {
      release = resolve;
    });
    const produce = dataPlane.produceAsCoordinator.bind(dataPlane);
    dataPlane.produceAsCoordinator = async (request) => {
      const results = await produce(request);
      await gate;
      return results;
    };
    const writing = coordinator.txnCommitOffsets(txnCommit(7));
    await waitFor('the offsets appended', () => (dataPlane.logs.get(partition)?.length ?? 0) === 1);
    // The transaction timed out: the coordinator's ABORT lands after the offsets, before their ack.
    dataPlane.appendMarker(partition, 42, false, 3);
    coordinator.transactions.onMarkerWritten(OFFSETS_TOPIC, partition, 42, 3, false);
    release();
    await writing;
    await waitFor('the marker applied', () => coordinator.unstablePartitions('g', [P0]).length === 0);
    expect(offsetOf()).toEqual([]);
  });

  it('fences by the group protocol: a simple group, a classic member, a zombie generation', async () => {
    const { coordinator } = await loaded(new Map([['t', 1]]));
    await expect(coordinator.txnCommitOffsets(txnCommit(1, { generationId: 4 }))).rejects.toMatchObject({
      code: 'ILLEGAL_GENERATION',
    });
    await expect(coordinator.txnCommitOffsets(txnCommit(1, { memberId: 'm' }))).rejects.toMatchObject({
      code: 'UNKNOWN_MEMBER_ID',
    });
    const member = coordinator.heartbeat('g', {
      memberId: 'm1',
      memberEpoch: 0,
      clientId: 'c',
      subscribedTopics: ['t'],
      assignor: '',
      rebalanceTimeoutMs: 0,
      sessionTimeoutMs: 10_000,
      ownedPartitions: [],
    });
    await expect(
      coordinator.txnCommitOffsets(txnCommit(1, { memberId: 'm1', generationId: member.memberEpoch + 1 })),
    ).rejects.toMatchObject({ code: 'ILLEGAL_GENERATION' });
    await coordinator.txnCommitOffsets(txnCommit(1, { memberId: 'm1', generationId: member.memberEpoch }));
    // TxnOffsetCommit v0-2 name no member: accepted for a group with members.
    await coordinator.txnCommitOffsets(txnCommit(2));
    expect(coordinator.unstablePartitions('g', [P0])).toEqual([P0]);
  });

  it('refuses a member at its current epoch committing a partition it no longer owns (a zombie handler)', async () => {
    const { coordinator } = await loaded(new Map([['t', 2]]));
    const heartbeat = (memberId: string, memberEpoch: number, owned: readonly number[]) =>
      coordinator.heartbeat('g', {
        memberId,
        memberEpoch,
        clientId: 'c',
        subscribedTopics: ['t'],
        assignor: '',
        rebalanceTimeoutMs: 10_000,
        sessionTimeoutMs: 10_000,
        ownedPartitions: owned.map((partition) => ({ topic: 't', partition })),
      });
    const ownedOf = (result: ReturnType<typeof heartbeat>) => [...(result.assignment.get('t') ?? [])].sort();
    const first = heartbeat('m1', 0, []);
    expect(ownedOf(first)).toEqual([0, 1]);
    const commitOf = (partition: number, memberEpoch: number) =>
      txnCommit(1, {
        memberId: 'm1',
        generationId: memberEpoch,
        commits: [{ topic: 't', partition, offset: 5, leaderEpoch: -1, metadata: '' }],
      });
    await coordinator.txnCommitOffsets(commitOf(1, first.memberEpoch));
    // m2 joins; m1 gives one partition up (it reports only the other as owned) and moves to a new epoch.
    heartbeat('m2', 0, []);
    const revoking = heartbeat('m1', first.memberEpoch, [0, 1]);
    const kept = ownedOf(revoking);
    expect(kept).toHaveLength(1);
    const given = kept[0] === 0 ? 1 : 0;
    const after = heartbeat('m1', revoking.memberEpoch, kept);
    // The handler that was still working on the partition m1 gave up commits under m1's current epoch.
    await expect(coordinator.txnCommitOffsets(commitOf(given, after.memberEpoch))).rejects.toMatchObject({
      code: 'ILLEGAL_GENERATION',
      message: expect.stringContaining(`does not own t-${given}`),
    });
    await coordinator.txnCommitOffsets(commitOf(kept[0] ?? -1, after.memberEpoch));
  });

  it('passes the producer errors of the write through (a fenced epoch)', async () => {
    const { coordinator, dataPlane } = await loaded();
    dataPlane.failNextWrite = 'INVALID_PRODUCER_EPOCH';
    await expect(coordinator.txnCommitOffsets(txnCommit(1))).rejects.toMatchObject({
      code: 'INVALID_PRODUCER_EPOCH',
    });
    expect(coordinator.unstablePartitions('g', [P0])).toEqual([]);
  });
});
