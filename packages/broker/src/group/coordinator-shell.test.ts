/**
 * The coordinator shell against fakes (a scripted data plane and a fixed metadata image): commits are
 * applied only once acknowledged, a shard answers LOAD_IN_PROGRESS until loaded and NOT_COORDINATOR
 * once leadership moves, loading replays tombstones, retention writes tombstones.
 */
import { brokerEpoch, brokerId, leaderEpoch, ManualClock, partitionEpoch } from '@tributary/core';
import { waitFor } from '@tributary/core/testing';
import { MetadataImage, type MetadataRecord, replayAll } from '@tributary/metadata';
import type { ProducePartitionResult, ProduceRequest__Output } from '@tributary/protocol';
import { encodeRecordBatch, stampBatch } from '@tributary/records';
import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import type { LeadershipListener, LocalLogRead } from '../replica/replica-manager.js';
import { GroupCoordinator, offsetsPartitionFor } from './coordinator.js';
import { OFFSETS_TOPIC } from './limits.js';
import { encodeOffsetKey, encodeOffsetValue } from './offsets-codec.js';

function imageWithOffsetsTopic(partitions: number): MetadataImage {
  const records: MetadataRecord[] = [
    {
      type: 'RegisterBroker',
      brokerId: brokerId(1),
      brokerEpoch: brokerEpoch(1),
      incarnationId: 'inc-1',
      address: 'host1:9092',
      rack: null,
      fenced: false,
    },
    { type: 'Topic', name: OFFSETS_TOPIC, topicId: 't-offsets' },
    ...Array.from({ length: partitions }, (_, partition) => ({
      type: 'Partition' as const,
      topicId: 't-offsets',
      partition,
      replicas: [brokerId(1)],
      isr: [brokerId(1)],
      leader: brokerId(1),
      leaderEpoch: leaderEpoch(0),
      partitionEpoch: partitionEpoch(0),
    })),
  ];
  return replayAll(
    MetadataImage.EMPTY,
    records.map((record, offset) => ({ record, offset })),
  );
}

/** A log per partition held in memory; produce appends (or fails) as scripted. */
class FakeDataPlane {
  readonly logs = new Map<number, Buffer[]>();
  listener: LeadershipListener | null = null;
  failNextWrite: string | null = null;
  /** While set, reads wait for it (a slow load). */
  gate: Promise<void> | null = null;

  async produce(request: ProduceRequest__Output): Promise<ProducePartitionResult[]> {
    const data = request.topics[0]?.partitions[0];
    if (data === undefined) throw new Error('empty produce');
    const base = {
      topic: OFFSETS_TOPIC,
      partition: data.partition,
      baseOffset: -1,
      logStartOffset: 0,
      leaderId: 1,
      leaderEpoch: 0,
    };
    if (this.failNextWrite !== null) {
      const errorCode = this.failNextWrite;
      this.failNextWrite = null;
      return [{ ...base, errorCode, errorMessage: 'scripted' }];
    }
    this.append(data.partition, data.records);
    return [{ ...base, errorCode: '', errorMessage: '' }];
  }

  append(partition: number, batch: Buffer): void {
    const log = this.logs.get(partition) ?? [];
    const baseOffset = log.reduce((n, b) => n + b.readInt32BE(57) + 0, 0);
    const copy = Buffer.from(batch);
    stampBatch(copy, { baseOffset, partitionLeaderEpoch: 0 });
    log.push(copy);
    this.logs.set(partition, log);
  }

  onLeadershipChange(listener: LeadershipListener): () => void {
    this.listener = listener;
    return () => {
      this.listener = null;
    };
  }

  async readLocalLog(
    _topic: string,
    partition: number,
    fromOffset: number | null,
  ): Promise<LocalLogRead | null> {
    if (this.gate !== null) await this.gate;
    const log = this.logs.get(partition) ?? [];
    const bytes = Buffer.concat(log);
    const end = log.reduce((n, b) => n + b.readInt32BE(57), 0);
    return {
      bytes: fromOffset === null || fromOffset === 0 ? bytes : Buffer.alloc(0),
      nextOffset: end,
      logStartOffset: 0,
      logEndOffset: end,
    };
  }
}

function setUp(partitions = 2) {
  const dataPlane = new FakeDataPlane();
  const clock = new ManualClock(1_000_000);
  const image = imageWithOffsetsTopic(partitions);
  const coordinator = new GroupCoordinator({
    brokerId: 1,
    dataPlane,
    metadata: { currentImage: () => image, onImage: () => () => undefined },
    createTopic: async () => undefined,
    config: {
      offsetsTopicPartitions: partitions,
      offsetsTopicReplicationFactor: 1,
      offsetsRetentionMs: 60_000,
      defaultSessionTimeoutMs: 10_000,
    },
    clock,
    logger: pino({ level: 'silent' }),
  });
  const lead = (partition: number, isLeader = true, epoch = 0) =>
    dataPlane.listener?.(OFFSETS_TOPIC, partition, isLeader, epoch);
  return { dataPlane, clock, coordinator, lead, partition: offsetsPartitionFor('g', partitions) };
}

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
