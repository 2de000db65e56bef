/**
 * Test fixture for the Kafka group API handlers (kafka/handlers/groups-*.ts): a real GroupCoordinator over
 * the in-memory data plane with a manual clock, a metadata image with Kafka addresses, `__consumer_offsets`
 * and a data topic, the handlers' broker parts over them, and a driver that sends a request through the
 * codec at a given version and decodes the answer at that version, so a test sees exactly what a client of
 * that version would. Imported only by tests (this folder is left out of the build).
 */
import { brokerEpoch, brokerId, leaderEpoch, ManualClock, partitionEpoch } from '@tributary/core';
import {
  type ApiDefinition,
  decodeRequestBytes,
  decodeResponseBytes,
  encodeRequestBody,
  encodeResponseBody,
  type RequestInputOf,
  type ResponseOf,
} from '@tributary/kafka-protocol';
import { MetadataImage, type MetadataRecord, replayAll } from '@tributary/metadata';
import { ANONYMOUS } from '@tributary/security';
import { pino } from 'pino';
import type { RegisteredHandler } from '../../kafka/handler.js';
import type { KafkaBrokerParts } from '../../kafka/parts.js';
import type { AdminForwarder } from '../../services/admin-forwarding.js';
import type { ClassicGroupConfig } from '../classic-types.js';
import { GroupCoordinator, offsetsPartitionFor } from '../coordinator.js';
import { OFFSETS_TOPIC } from '../limits.js';
import { FakeDataPlane } from './coordinator-fixture.js';

export const OFFSETS_PARTITIONS = 4;
/** A data topic with this many partitions; commits to other topics are refused as unknown. */
export const TOPIC = 'orders';
export const TOPIC_PARTITIONS = 6;
/** Broker 1 (this broker) serves Kafka here; broker 2 has no Kafka listener. */
export const KAFKA_HOST = '127.0.0.1';
export const KAFKA_PORT = 19_092;

function registerBroker(id: number, kafkaAddress: string | null): MetadataRecord {
  return {
    type: 'RegisterBroker',
    brokerId: brokerId(id),
    brokerEpoch: brokerEpoch(1),
    incarnationId: `inc-${id}`,
    address: `127.0.0.1:${9_091 + id}`,
    rack: null,
    fenced: false,
    ...(kafkaAddress === null ? {} : { kafkaAddress }),
  };
}

function topicRecords(name: string, partitions: number, leaderOf: (partition: number) => number) {
  const records: MetadataRecord[] = [{ type: 'Topic', name, topicId: `id-${name}` }];
  for (let partition = 0; partition < partitions; partition++) {
    const leader = brokerId(leaderOf(partition));
    records.push({
      type: 'Partition',
      topicId: `id-${name}`,
      partition,
      replicas: [leader],
      isr: [leader],
      leader,
      leaderEpoch: leaderEpoch(0),
      partitionEpoch: partitionEpoch(0),
    });
  }
  return records;
}

/** The `__consumer_offsets` partition led by broker 2 (no Kafka listener): its last one. */
export const PARTITION_OF_BROKER_2 = OFFSETS_PARTITIONS - 1;

export function groupsImage(): MetadataImage {
  const records = [
    registerBroker(1, `${KAFKA_HOST}:${KAFKA_PORT}`),
    registerBroker(2, null),
    ...topicRecords(OFFSETS_TOPIC, OFFSETS_PARTITIONS, (p) => (p === PARTITION_OF_BROKER_2 ? 2 : 1)),
    ...topicRecords(TOPIC, TOPIC_PARTITIONS, () => 1),
    ...topicRecords('other', 2, () => 1),
  ];
  return replayAll(
    MetadataImage.EMPTY,
    records.map((record, offset) => ({ record, offset })),
  );
}

/** The first id `prefix-N` whose group lands on `partition` of `__consumer_offsets`. */
export function groupOn(partition: number, prefix = 'g'): string {
  for (let n = 0; n < 10_000; n++) {
    const id = `${prefix}-${n}`;
    if (offsetsPartitionFor(id, OFFSETS_PARTITIONS) === partition) return id;
  }
  throw new Error(`no group id lands on partition ${partition}`);
}

export interface GroupsFixture {
  readonly coordinator: GroupCoordinator;
  readonly clock: ManualClock;
  readonly dataPlane: FakeDataPlane;
  readonly parts: KafkaBrokerParts;
  /** Makes this broker the leader of the `__consumer_offsets` partitions broker 1 leads. */
  lead(partition: number): void;
  /** Advances the clock and runs the coordinator's sweep (timeouts, the initial rebalance delay). */
  tick(ms: number): void;
}

export function groupsFixture(classic: Partial<ClassicGroupConfig> = {}): GroupsFixture {
  const dataPlane = new FakeDataPlane();
  const clock = new ManualClock(1_000_000);
  const image = groupsImage();
  const metadata = { currentImage: () => image, onImage: () => () => undefined };
  const coordinator = new GroupCoordinator({
    brokerId: 1,
    dataPlane,
    metadata,
    createTopic: async () => undefined,
    config: {
      offsetsTopicPartitions: OFFSETS_PARTITIONS,
      offsetsTopicReplicationFactor: 1,
      offsetsRetentionMs: 60_000,
      defaultSessionTimeoutMs: 10_000,
      classic: { initialRebalanceDelayMs: 100, ...classic },
    },
    clock,
    logger: pino({ level: 'silent' }),
  });
  return {
    coordinator,
    clock,
    dataPlane,
    parts: groupParts(coordinator, metadata),
    lead: (partition) => dataPlane.listener?.(OFFSETS_TOPIC, partition, true, 0),
    tick: (ms) => {
      clock.advance(ms);
      coordinator.sweep();
    },
  };
}

/** The broker parts the group handlers use; the others throw if a handler ever reached them. */
export function groupParts(
  coordinator: GroupCoordinator | null,
  metadata: KafkaBrokerParts['metadata'],
): KafkaBrokerParts {
  const unused = (): never => {
    throw new Error('not used by the group handlers');
  };
  return {
    brokerId: 1,
    metadata,
    dataPlane: {
      produce: unused,
      fetch: unused,
      listOffsets: unused,
    } as unknown as KafkaBrokerParts['dataPlane'],
    producerIds: { generateProducerId: unused },
    groupCoordinator: coordinator,
    admin: {} as AdminForwarder,
    autoCreate: null,
    topicDefaults: { partitions: 1, replicationFactor: 1 },
    clusterId: () => 'cluster-1',
    metadataReady: () => true,
    logger: pino({ level: 'silent' }),
  };
}

/**
 * Sends `body` to `handler` as a client speaking `version` would (encoded, then decoded, at that version)
 * and decodes the answer at that version.
 */
export async function exchange<A extends ApiDefinition>(
  handler: RegisteredHandler,
  api: A,
  version: number,
  body: RequestInputOf<A>,
): Promise<ResponseOf<A>> {
  // `A` is generic here: the codec's field types cannot be followed through RequestInputOf<A>.
  const encoded = encodeRequestBody(api, version, body as never).toBuffer();
  const request = decodeRequestBytes(api, version, encoded);
  const context = {
    header: { apiKey: api.key, apiVersion: version, correlationId: 1, clientId: 'test-client' },
    clientHost: '127.0.0.1',
    connectionId: 'test-connection',
    logger: pino({ level: 'silent' }),
    caller: { principal: ANONYMOUS, host: '127.0.0.1', authenticatedBy: 'none' as const },
  };
  const response = await handler.answer(request, context);
  const bytes = encodeResponseBody(api, version, response as never).toBuffer();
  return decodeResponseBytes(api, version, bytes) as ResponseOf<A>;
}

/** Resolves once every shard this broker leads has loaded. */
export async function loaded(fixture: GroupsFixture): Promise<void> {
  for (let partition = 0; partition < OFFSETS_PARTITIONS; partition++) {
    if (partition !== PARTITION_OF_BROKER_2) fixture.lead(partition);
  }
  for (let attempt = 0; attempt < 200; attempt++) {
    const states = [...fixture.coordinator.shardStates().values()];
    if (states.length === OFFSETS_PARTITIONS - 1 && states.every((s) => s === 'active')) return;
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
  throw new Error('the coordinator shards did not load within 1 s');
}
