/**
 * DeleteRecords and OffsetForLeaderEpoch through the Kafka listener (raw client, every version), over
 * replica managers that replicate for real (ReplicaTestCluster): wire fields, Kafka error codes, the
 * deletion policy and the refused replica requests.
 */
import { ERROR_CODES } from '@tributary/core';
import { DeleteRecords, OffsetForLeaderEpoch } from '@tributary/kafka-protocol';
import pino from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { produceTo, ReplicaTestCluster, testBatch } from '../../replica/test-cluster.js';
import { type KafkaListener, startKafkaListener } from '../listener.js';
import { KafkaApiRegistry } from '../registry.js';
import { RawKafkaClient } from '../testing/raw-client.js';
import { apiVersionsHandler } from './api-versions.js';
import { deleteRecordsHandler } from './delete-records.js';
import { offsetForLeaderEpochHandler } from './offset-for-leader-epoch.js';

const logger = pino({ level: 'silent' });
const TOPIC = 'kafka-trim';
const KAFKA = {
  none: 0,
  offsetOutOfRange: ERROR_CODES.OFFSET_OUT_OF_RANGE.kafka,
  unknownTopic: ERROR_CODES.UNKNOWN_TOPIC_OR_PARTITION.kafka,
  notLeader: ERROR_CODES.NOT_LEADER.kafka,
  policy: ERROR_CODES.POLICY_VIOLATION.kafka,
  invalid: ERROR_CODES.INVALID_REQUEST.kafka,
  fenced: ERROR_CODES.FENCED_LEADER_EPOCH.kafka,
  unknownEpoch: ERROR_CODES.UNKNOWN_LEADER_EPOCH.kafka,
} as const;

let cluster: ReplicaTestCluster | null = null;
const open: Array<{ close(): unknown }> = [];

afterEach(async () => {
  for (const thing of open.splice(0).reverse()) await thing.close();
  await cluster?.close();
  cluster = null;
});

/** Brokers 1 and 2 with `TOPIC` (leader 1) holding offsets 0..19 in batches of 5, and a compacted topic. */
async function twoBrokers(): Promise<ReplicaTestCluster> {
  const c = await ReplicaTestCluster.start([1, 2]);
  cluster = c;
  for (const id of [1, 2]) await c.startBroker(id);
  await c.createTopic(TOPIC, [1, 2]);
  await c.createTopic('compacted', [1, 2], { 'cleanup.policy': 'compact' });
  for (let i = 0; i < 4; i++) {
    expect((await produceTo(c.manager(1), TOPIC, testBatch(5, 10), -1)).errorCode).toBe('');
  }
  return c;
}

/** A Kafka listener serving these two APIs over broker `id`'s replica manager. */
async function connect(c: ReplicaTestCluster, id: number): Promise<RawKafkaClient> {
  const parts = {
    metadata: { currentImage: () => c.image, onImage: () => () => {} },
    dataPlane: c.manager(id),
  };
  const registry: KafkaApiRegistry = new KafkaApiRegistry([
    apiVersionsHandler(() => registry.advertisedVersions()),
    deleteRecordsHandler(parts),
    offsetForLeaderEpochHandler(parts),
  ]);
  const listener: KafkaListener = await startKafkaListener({ listen: '127.0.0.1:0', registry, logger });
  open.push(listener);
  const client = await RawKafkaClient.connect(listener.port);
  open.push(client);
  return client;
}

function deleteBody(partitions: Array<[string, number, number]>, timeoutMs = 10_000) {
  const topics = [...new Set(partitions.map(([name]) => name))].map((name) => ({
    name,
    partitions: partitions
      .filter(([topic]) => topic === name)
      .map(([, partitionIndex, offset]) => ({ partitionIndex, offset })),
  }));
  return { topics, timeoutMs };
}

describe('DeleteRecords on the Kafka listener', () => {
  it('moves the log start at every version and answers the low watermark', async () => {
    const c = await twoBrokers();
    const client = await connect(c, 1);
    for (const [version, offset] of [
      [0, 3],
      [1, 7],
      [2, 12],
    ] as const) {
      const response = await client.request(DeleteRecords, version, deleteBody([[TOPIC, 0, offset]]));
      expect(response.topics).toEqual([
        { name: TOPIC, partitions: [{ partitionIndex: 0, lowWatermark: offset, errorCode: KAFKA.none }] },
      ]);
      expect(c.manager(2).partitionReplica(TOPIC, 0)?.log.logStartOffset).toBe(offset);
    }
    // -1: up to the high watermark.
    const all = await client.request(DeleteRecords, 2, deleteBody([[TOPIC, 0, -1]]));
    expect(all.topics[0]?.partitions[0]).toEqual({
      partitionIndex: 0,
      lowWatermark: 20,
      errorCode: KAFKA.none,
    });
  });

  it('answers each partition with its Kafka error code', async () => {
    const c = await twoBrokers();
    const leader = await connect(c, 1);
    const response = await leader.request(
      DeleteRecords,
      2,
      deleteBody([
        [TOPIC, 0, 21],
        [TOPIC, 1, 0],
        ['nope', 0, 0],
        ['compacted', 0, 0],
        ['__consumer_offsets', 0, 0],
      ]),
    );
    const codes = response.topics.flatMap((t) =>
      t.partitions.map((p) => [t.name, p.errorCode, p.lowWatermark]),
    );
    expect(codes).toEqual([
      [TOPIC, KAFKA.offsetOutOfRange, -1],
      [TOPIC, KAFKA.unknownTopic, -1],
      ['nope', KAFKA.unknownTopic, -1],
      ['compacted', KAFKA.policy, -1],
      ['__consumer_offsets', KAFKA.policy, -1],
    ]);
    const follower = await connect(c, 2);
    const refused = await follower.request(DeleteRecords, 0, deleteBody([[TOPIC, 0, 5]]));
    expect(refused.topics[0]?.partitions[0]?.errorCode).toBe(KAFKA.notLeader);
    expect(c.manager(1).partitionReplica(TOPIC, 0)?.log.logStartOffset).toBe(0);
  });
});

describe('OffsetForLeaderEpoch on the Kafka listener', () => {
  function query(leaderEpoch: number, currentLeaderEpoch = -1, topic = TOPIC) {
    return { topic, partitions: [{ partition: 0, currentLeaderEpoch, leaderEpoch }] };
  }

  it('answers the end offset of an epoch at every version', async () => {
    const c = await twoBrokers();
    await c.changePartition(TOPIC, { leader: 2 }); // epoch 1 on broker 2, nothing written in it yet
    const client = await connect(c, 2);
    for (let version = 0; version <= 4; version++) {
      const response = await client.request(OffsetForLeaderEpoch, version, {
        replicaId: -1,
        topics: [query(0), query(1, version >= 2 ? 1 : -1)],
      });
      // v0 has no leader epoch in its answer: the codec reads the default -1.
      const epoch = (e: number) => (version >= 1 ? e : -1);
      expect(response.topics.map((t) => t.partitions[0])).toEqual([
        { errorCode: KAFKA.none, partition: 0, leaderEpoch: epoch(0), endOffset: 20 },
        { errorCode: KAFKA.none, partition: 0, leaderEpoch: epoch(1), endOffset: 20 },
      ]);
    }
  });

  it('fences the current epoch, refuses replicas and answers only on the leader', async () => {
    const c = await twoBrokers();
    const leader = await connect(c, 1);
    const follower = await connect(c, 2);
    const codes = async (client: RawKafkaClient, replicaId: number, topics: ReturnType<typeof query>[]) =>
      (await client.request(OffsetForLeaderEpoch, 4, { replicaId, topics })).topics.map(
        (t) => t.partitions[0]?.errorCode,
      );
    expect(await codes(leader, -1, [query(0, 0), query(0, 1), query(0, -1, 'nope')])).toEqual([
      KAFKA.none,
      KAFKA.unknownEpoch,
      KAFKA.unknownTopic,
    ]);
    await c.changePartition(TOPIC, { leader: 2 });
    expect(await codes(leader, -1, [query(0, 0), query(0, 1)])).toEqual([KAFKA.fenced, KAFKA.notLeader]);
    expect(await codes(follower, 1, [query(0, 1)])).toEqual([KAFKA.invalid]);
    expect(await codes(follower, -2, [query(0, 1)])).toEqual([KAFKA.none]);
  });
});
