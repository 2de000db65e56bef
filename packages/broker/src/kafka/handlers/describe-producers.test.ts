/**
 * DescribeProducers (61) v0 through the Kafka listener (raw client), over replica managers that replicate
 * for real (ReplicaTestCluster): the leader reports its log's producer state with Kafka's -1 for what a
 * producer lacks; a follower answers NOT_LEADER_OR_FOLLOWER, an unknown or negative partition
 * UNKNOWN_TOPIC_OR_PARTITION, and a partition named twice is answered twice. No client we test against
 * sends DescribeProducers; the raw client encodes the request from the codec's definition, whose bytes
 * kafka-protocol's describe-producers.test.ts pins to the protocol guide's layout.
 */
import { ERROR_CODES } from '@tributary/core';
import { ApiVersions, DescribeProducers } from '@tributary/kafka-protocol';
import { encodeControlBatch, encodeRecordBatch } from '@tributary/records';
import pino from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { ReplicaTestCluster, waitUntil } from '../../replica/test-cluster.js';
import { type KafkaListener, startKafkaListener } from '../listener.js';
import { KafkaApiRegistry } from '../registry.js';
import { RawKafkaClient } from '../testing/raw-client.js';
import { apiVersionsHandler } from './api-versions.js';
import { describeProducersHandler } from './describe-producers.js';

const logger = pino({ level: 'silent' });
const TOPIC = 'hanging';
const KAFKA = {
  none: 0,
  unknownTopic: ERROR_CODES.UNKNOWN_TOPIC_OR_PARTITION.kafka,
  notLeader: ERROR_CODES.NOT_LEADER.kafka,
} as const;

let cluster: ReplicaTestCluster | null = null;
const open: Array<{ close(): unknown }> = [];

afterEach(async () => {
  for (const thing of open.splice(0).reverse()) await thing.close();
  await cluster?.close();
  cluster = null;
});

function batch(producerId: number, sequence: number, transactional: boolean, timestampMs: number): Buffer {
  return encodeRecordBatch({
    producerId,
    producerEpoch: 2,
    baseSequence: sequence,
    isTransactional: transactional,
    records: [
      { key: null, value: Buffer.from('a'), timestampMs },
      { key: null, value: Buffer.from('b'), timestampMs },
    ],
  });
}

/**
 * Brokers 1 (leader) and 2 with `TOPIC` holding: producer 8's committed transaction (offsets 0-1, marker
 * at 2 from coordinator epoch 4), producer 7's open one from offset 3, and idempotent producer 5's batch.
 */
async function hangingTransaction(): Promise<ReplicaTestCluster> {
  const c = await ReplicaTestCluster.start([1, 2]);
  cluster = c;
  for (const id of [1, 2]) await c.startBroker(id);
  await c.createTopic(TOPIC, [1, 2]);
  const manager = c.manager(1);
  await waitUntil('broker 1 to lead', () => manager.partitionReplica(TOPIC, 0)?.leaderState() != null);
  const partition = manager.partitionReplica(TOPIC, 0);
  if (partition === undefined) throw new Error('no partition');
  const append = async (bytes: Buffer, origin: 'client' | 'coordinator' = 'client') => {
    const result = await partition.log.append(bytes, { leaderEpoch: 0, assignOffsets: true, origin });
    partition.onLeaderAppend(result.logEndOffset);
  };
  await append(batch(8, 0, true, 1_000)); // 0-1
  const commit = { producerId: 8, producerEpoch: 2, marker: 'commit' as const, timestampMs: 1_100 };
  await append(encodeControlBatch({ ...commit, coordinatorEpoch: 4 }), 'coordinator'); // 2
  await append(batch(7, 0, true, 2_000)); // 3-4: stays open
  await append(batch(5, 0, false, 3_000)); // 5-6
  return c;
}

async function connect(c: ReplicaTestCluster, id: number): Promise<RawKafkaClient> {
  const manager = c.manager(id);
  const registry: KafkaApiRegistry = new KafkaApiRegistry([
    apiVersionsHandler(() => registry.advertisedVersions()),
    describeProducersHandler({ producers: manager }),
  ]);
  const listener: KafkaListener = await startKafkaListener({ listen: '127.0.0.1:0', registry, logger });
  open.push(listener);
  const client = await RawKafkaClient.connect(listener.port);
  open.push(client);
  return client;
}

describe('DescribeProducers on the Kafka listener', () => {
  it("answers the leader's producer state: the open transaction's start offset and -1 for what is not there", async () => {
    const c = await hangingTransaction();
    const client = await connect(c, 1);
    const response = await client.request(DescribeProducers, 0, {
      topics: [{ name: TOPIC, partitionIndexes: [0] }],
    });
    expect(response.topics).toEqual([
      {
        name: TOPIC,
        partitions: [
          {
            partitionIndex: 0,
            errorCode: KAFKA.none,
            errorMessage: null,
            activeProducers: [
              {
                producerId: 5,
                producerEpoch: 2,
                lastSequence: 1,
                lastTimestamp: 3_000,
                coordinatorEpoch: -1,
                currentTxnStartOffset: -1,
              },
              {
                producerId: 7,
                producerEpoch: 2,
                lastSequence: 1,
                lastTimestamp: 2_000,
                coordinatorEpoch: -1,
                currentTxnStartOffset: 3,
              },
              {
                producerId: 8,
                producerEpoch: 2,
                lastSequence: 1,
                lastTimestamp: 1_000,
                coordinatorEpoch: 4,
                currentTxnStartOffset: -1,
              },
            ],
          },
        ],
      },
    ]);
  });

  it('answers each partition with its Kafka error code, duplicates included', async () => {
    const c = await hangingTransaction();
    const leader = await connect(c, 1);
    const response = await leader.request(DescribeProducers, 0, {
      topics: [
        { name: TOPIC, partitionIndexes: [1, -1, 0, 0] },
        { name: 'nope', partitionIndexes: [0] },
        { name: '', partitionIndexes: [0] },
      ],
    });
    const codes = response.topics.flatMap((t) =>
      t.partitions.map((p) => [t.name, p.partitionIndex, p.errorCode, p.activeProducers.length]),
    );
    expect(codes).toEqual([
      [TOPIC, 1, KAFKA.unknownTopic, 0],
      [TOPIC, -1, KAFKA.unknownTopic, 0],
      [TOPIC, 0, KAFKA.none, 3],
      [TOPIC, 0, KAFKA.none, 3],
      ['nope', 0, KAFKA.unknownTopic, 0],
      ['', 0, KAFKA.unknownTopic, 0],
    ]);
    const follower = await connect(c, 2);
    const refused = await follower.request(DescribeProducers, 0, {
      topics: [{ name: TOPIC, partitionIndexes: [0] }],
    });
    expect(refused.topics[0]?.partitions[0]).toEqual({
      partitionIndex: 0,
      errorCode: KAFKA.notLeader,
      errorMessage: `broker 2 does not lead ${TOPIC}-0`,
      activeProducers: [],
    });
  });

  it('is advertised as v0 only', async () => {
    const c = await hangingTransaction();
    const client = await connect(c, 1);
    const versions = await client.request(ApiVersions, 3, {
      clientSoftwareName: 't',
      clientSoftwareVersion: '1',
    });
    expect(versions.apiKeys.find((k) => k.apiKey === 61)).toEqual({
      apiKey: 61,
      minVersion: 0,
      maxVersion: 0,
    });
  });
});
