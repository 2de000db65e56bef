/**
 * The coordinator shell against fakes (a scripted data plane and a fixed metadata image): commits are
 * applied only once acknowledged, a shard answers LOAD_IN_PROGRESS until loaded and NOT_COORDINATOR
 * once leadership moves, loading replays tombstones, retention writes tombstones.
 */
import { waitFor } from '@tributary/core/testing';
import { encodeRecordBatch } from '@tributary/records';
import { describe, expect, it } from 'vitest';
import { encodeOffsetKey, encodeOffsetValue } from './offsets-codec.js';
import { setUp } from './testing/coordinator-fixture.js';

const commitOf = (offset: number) => [{ topic: 't', partition: 0, offset, leaderEpoch: -1, metadata: '' }];

describe('GroupCoordinator (shell, fakes)', () => {
  it('answers LOAD_IN_PROGRESS while loading, then serves the replayed offsets (tombstones applied)', async () => {
    const { dataPlane, coordinator, lead, partition } = setUp();
    const record = (p: number, offset: number | null) => ({
      key: encodeOffsetKey({ group: 'g', topic: 't', partition: p }),
      value:
        offset === null
          ? null
          : encodeOffsetValue({ offset, leaderEpoch: 3, metadata: 'x', commitTimestampMs: 5 }),
      timestampMs: 0,
    });
    dataPlane.append(partition, encodeRecordBatch({ records: [record(0, 10), record(1, 20)] }));
    dataPlane.append(partition, encodeRecordBatch({ records: [record(1, null), record(0, 11)] }));
    let open: () => void = () => undefined;
    dataPlane.gate = new Promise((resolve) => {
      open = resolve;
    });
    lead(partition);
    expect(() => coordinator.fetchOffsets('g', null)).toThrow(
      expect.objectContaining({ code: 'COORDINATOR_LOAD_IN_PROGRESS' }),
    );
    dataPlane.gate = null;
    open();
    const offsets = await waitFor('the shard to load', () => {
      try {
        return coordinator.fetchOffsets('g', null);
      } catch {
        return false;
      }
    });
    expect(offsets.map((o) => [o.partition, o.offset])).toEqual([[0, 11]]);
  });

  it('applies a commit only once the write is acknowledged', async () => {
    const { dataPlane, coordinator, lead, partition } = setUp();
    lead(partition);
    await waitFor('loaded', () => coordinator.shardStates().get(partition) === 'active');
    dataPlane.failNextWrite = 'NOT_ENOUGH_REPLICAS';
    await expect(
      coordinator.commitOffsets('g', { memberId: '', memberEpoch: -1 }, commitOf(5)),
    ).rejects.toMatchObject({
      code: 'COORDINATOR_NOT_AVAILABLE',
    });
    expect(coordinator.fetchOffsets('g', null)).toEqual([]);
    dataPlane.failNextWrite = 'NOT_LEADER';
    await expect(
      coordinator.commitOffsets('g', { memberId: '', memberEpoch: -1 }, commitOf(5)),
    ).rejects.toMatchObject({
      code: 'NOT_COORDINATOR',
    });
    await coordinator.commitOffsets('g', { memberId: '', memberEpoch: -1 }, commitOf(6));
    expect(coordinator.fetchOffsets('g', null).map((o) => o.offset)).toEqual([6]);
  });

  it('drops the shard when leadership moves: NOT_COORDINATOR, and a new epoch reloads', async () => {
    const { coordinator, lead, partition } = setUp();
    lead(partition);
    await waitFor('loaded', () => coordinator.shardStates().get(partition) === 'active');
    coordinator.heartbeat('g', {
      memberId: 'm',
      memberEpoch: 0,
      clientId: '',
      subscribedTopics: ['t'],
      assignor: '',
      rebalanceTimeoutMs: 0,
      sessionTimeoutMs: 0,
      ownedPartitions: [],
    });
    await coordinator.commitOffsets('g', { memberId: 'm', memberEpoch: 1 }, commitOf(9));
    lead(partition, false, 1);
    expect(() =>
      coordinator.heartbeat('g', {
        memberId: 'm',
        memberEpoch: 1,
        clientId: '',
        subscribedTopics: ['t'],
        assignor: '',
        rebalanceTimeoutMs: 0,
        sessionTimeoutMs: 0,
        ownedPartitions: [],
      }),
    ).toThrow(expect.objectContaining({ code: 'NOT_COORDINATOR' }));
    lead(partition, true, 2);
    await waitFor('reloaded', () => coordinator.shardStates().get(partition) === 'active');
    expect(coordinator.fetchOffsets('g', null).map((o) => o.offset)).toEqual([9]);
    expect(coordinator.describeGroup('g').description).toBeNull();
  });

  it('sweeps lapsed members and deletes offsets of empty groups past retention', async () => {
    const { clock, coordinator, lead, partition } = setUp();
    lead(partition);
    await waitFor('loaded', () => coordinator.shardStates().get(partition) === 'active');
    coordinator.heartbeat('g', {
      memberId: 'm',
      memberEpoch: 0,
      clientId: '',
      subscribedTopics: ['t'],
      assignor: '',
      rebalanceTimeoutMs: 0,
      sessionTimeoutMs: 0,
      ownedPartitions: [],
    });
    await coordinator.commitOffsets('g', { memberId: 'm', memberEpoch: 1 }, commitOf(3));
    clock.advance(70_000);
    await coordinator.applyRetention();
    expect(coordinator.fetchOffsets('g', null)).toHaveLength(1);
    coordinator.sweep();
    expect(coordinator.listGroups()).toEqual([
      { groupId: 'g', state: 'Empty', members: 0, protocolType: 'consumer', groupType: 'consumer' },
    ]);
    await coordinator.applyRetention();
    expect(coordinator.fetchOffsets('g', null)).toEqual([]);
    expect(coordinator.listGroups()).toEqual([]);
  });
});
