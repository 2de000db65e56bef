/**
 * Test fixtures for the coordinator shell: a metadata image holding __consumer_offsets led by broker 1,
 * a data plane whose partition logs live in memory (produce appends or fails as scripted), and a
 * coordinator over them with a manual clock. Imported only by tests.
 */
import { brokerEpoch, brokerId, leaderEpoch, ManualClock, partitionEpoch } from '@tributary/core';
import { MetadataImage, type MetadataRecord, replayAll } from '@tributary/metadata';
import type { ProducePartitionResult, ProduceRequest__Output } from '@tributary/protocol';
import { encodeControlBatch, stampBatch } from '@tributary/records';
import { pino } from 'pino';
import type { LeadershipListener, LocalLogRead } from '../../replica/replica-manager.js';
import type { ClassicGroupConfig } from '../classic-types.js';
import { GroupCoordinator, offsetsPartitionFor } from '../coordinator.js';
import { OFFSETS_TOPIC } from '../limits.js';

/** A topic's records: `count` partitions, each with broker 1 as its only replica and leader. */
function topicLedByBroker1(name: string, topicId: string, count: number): MetadataRecord[] {
  return [
    { type: 'Topic', name, topicId },
    ...Array.from({ length: count }, (_, partition) => ({
      type: 'Partition' as const,
      topicId,
      partition,
      replicas: [brokerId(1)],
      isr: [brokerId(1)],
      leader: brokerId(1),
      leaderEpoch: leaderEpoch(0),
      partitionEpoch: partitionEpoch(0),
    })),
  ];
}

/** `dataTopics`: topics for groups to consume (name → partition count), led by broker 1 too. */
export function imageWithOffsetsTopic(
  partitions: number,
  dataTopics: ReadonlyMap<string, number> = new Map(),
): MetadataImage {
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
    ...topicLedByBroker1(OFFSETS_TOPIC, 't-offsets', partitions),
    ...[...dataTopics].flatMap(([name, count]) => topicLedByBroker1(name, `t-${name}`, count)),
  ];
  return replayAll(
    MetadataImage.EMPTY,
    records.map((record, offset) => ({ record, offset })),
  );
}

/** A log per partition held in memory; produce appends (or fails) as scripted. */
export class FakeDataPlane {
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
    const baseOffset = this.append(data.partition, data.records);
    return [{ ...base, baseOffset, errorCode: '', errorMessage: '' }];
  }

  /** The coordinator's own writes; the fake keeps no producer state (the log's checks are tested there). */
  produceAsCoordinator(request: ProduceRequest__Output): Promise<ProducePartitionResult[]> {
    return this.produce(request);
  }

  /** Appends a batch; returns its base offset. */
  append(partition: number, batch: Buffer): number {
    const log = this.logs.get(partition) ?? [];
    const baseOffset = log.reduce((n, b) => n + b.readInt32BE(57) + 0, 0);
    const copy = Buffer.from(batch);
    stampBatch(copy, { baseOffset, partitionLeaderEpoch: 0 });
    log.push(copy);
    this.logs.set(partition, log);
    return baseOffset;
  }

  /** A transaction marker, as the transaction coordinator writes it (the listener is told separately). */
  appendMarker(partition: number, producerId: number, commit: boolean, producerEpoch = 0): number {
    return this.append(
      partition,
      encodeControlBatch({
        producerId,
        producerEpoch,
        marker: commit ? 'commit' : 'abort',
        coordinatorEpoch: 0,
        timestampMs: 0,
      }),
    );
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

export function setUp(
  partitions = 2,
  classic: Partial<ClassicGroupConfig> = {},
  dataTopics: ReadonlyMap<string, number> = new Map(),
) {
  const dataPlane = new FakeDataPlane();
  const clock = new ManualClock(1_000_000);
  const image = imageWithOffsetsTopic(partitions, dataTopics);
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
      classic,
    },
    clock,
    logger: pino({ level: 'silent' }),
  });
  const lead = (partition: number, isLeader = true, epoch = 0) =>
    dataPlane.listener?.(OFFSETS_TOPIC, partition, isLeader, epoch);
  return { dataPlane, clock, coordinator, lead, partition: offsetsPartitionFor('g', partitions) };
}
