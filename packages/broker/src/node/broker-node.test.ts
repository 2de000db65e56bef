/** startBroker against an in-process one-voter controller (helpers first, then the tests). */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from '@tributary/core/testing';
import type { MetadataImage } from '@tributary/metadata';
import type {
  FetchPartitionResult,
  ListOffsetsPartitionResult,
  ProducePartitionResult,
  ProduceRequest__Output,
  ReplicaFetchPartitionResult,
} from '@tributary/protocol';
import { createBrokerClient, createGroupCoordinatorClient, unary } from '@tributary/protocol';
import { decodeRecordBatch, encodeRecordBatch } from '@tributary/records';
import { pino } from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { InProcessCluster } from '../testing/in-process-cluster.js';
import { startBroker } from './broker-node.js';
import type { ReplicaManagerPort } from './replica-port.js';

async function waitUntil(
  what: string,
  condition: () => boolean | Promise<boolean>,
  timeoutMs = 10_000,
): Promise<void> {
  const endMs = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > endMs) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

/** A replica manager that records the images it was given and answers every partition as not led here. */
class FakeReplicaManager implements ReplicaManagerPort {
  readonly images: MetadataImage[] = [];
  closed = false;

  async applyMetadata(image: MetadataImage): Promise<void> {
    this.images.push(image);
  }
  async produce(request: ProduceRequest__Output): Promise<ProducePartitionResult[]> {
    return request.topics.flatMap((topic) =>
      topic.partitions.map((p) => ({
        topic: topic.name,
        partition: p.partition,
        errorCode: 'NOT_LEADER',
        errorMessage: 'fake',
        baseOffset: -1,
        logStartOffset: -1,
        leaderId: -1,
        leaderEpoch: -1,
      })),
    );
  }
  async fetch(): Promise<FetchPartitionResult[]> {
    return [];
  }
  async listOffsets(): Promise<ListOffsetsPartitionResult[]> {
    return [];
  }
  async deleteRecords() {
    return [];
  }
  offsetForLeaderEpoch() {
    return [];
  }
  async replicaFetch(): Promise<ReplicaFetchPartitionResult[]> {
    return [];
  }
  leaderPartitions(): { topic: string; partition: number }[] {
    return [];
  }
  async close(): Promise<void> {
    this.closed = true;
  }
}

describe('startBroker (wiring, fake replica manager)', () => {
  let cluster: InProcessCluster | undefined;
  afterEach(async () => {
    await cluster?.close();
    cluster = undefined;
  });

  // Found by the chaos suite (seed 101): a restarted broker answered Metadata from the older snapshot it had
  // loaded, before catching up with the metadata log, so clients saw leader and broker epochs go backwards.
  it('answers client RPCs with BROKER_NOT_READY until it has caught up with the metadata log', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'trib-broker-not-ready-'));
    // No controller listens there: the broker can never register, so it never catches up.
    const broker = await startBroker({
      nodeId: 7,
      listen: '127.0.0.1:0',
      dataDir: join(dir, 'broker'),
      controllers: [`127.0.0.1:${await freePort()}`],
      logger: pino({ level: 'silent' }),
      controlledShutdownTimeoutMs: 500,
    });
    const client = createBrokerClient(`127.0.0.1:${broker.port}`);
    const groups = createGroupCoordinatorClient(`127.0.0.1:${broker.port}`);
    try {
      for (const call of [
        unary(client, 'Metadata', { topics: [] }, { deadlineMs: 5_000 }),
        unary(client, 'InitProducerId', {}, { deadlineMs: 5_000 }),
        unary(groups, 'FindCoordinator', { groupId: 'g' }, { deadlineMs: 5_000 }),
      ]) {
        await expect(call).rejects.toMatchObject({ code: 'BROKER_NOT_READY' });
      }
    } finally {
      client.close();
      groups.close();
      await broker.close();
      await rm(dir, { recursive: true, force: true });
    }
  }, 30_000);

  it('registers with its bound port, gets unfenced, answers Metadata and auto-creates topics', async () => {
    cluster = await InProcessCluster.start({ name: 'trib-broker-node' });
    const fake = new FakeReplicaManager();
    const broker = await cluster.startBroker(1, {
      openReplicaManager: async () => fake,
      autoCreateTopics: true,
      defaultPartitions: 2,
      defaultReplicationFactor: 3,
    });
    expect(broker.advertisedAddress).toBe(`127.0.0.1:${broker.port}`);
    await cluster.waitUnfenced();
    const client = cluster.brokerClient(broker);

    const all = await unary(client, 'Metadata', { topics: [] }, { deadlineMs: 5_000 });
    expect(all.brokers.map((b) => [b.brokerId, b.address])).toEqual([[1, broker.advertisedAddress]]);
    const missing = await unary(client, 'Metadata', { topics: ['nope'] }, { deadlineMs: 5_000 });
    expect(missing.topics[0]?.errorCode).toBe('UNKNOWN_TOPIC_OR_PARTITION');
    expect(missing.topics[0]?.topic?.name).toBe('nope');

    const created = await unary(
      client,
      'Metadata',
      { topics: ['auto', 'bad name!'], allowAutoTopicCreation: true },
      { deadlineMs: 10_000 },
    );
    const [auto, bad] = created.topics;
    expect(auto?.errorCode).toBe('');
    expect(auto?.topic?.partitions.map((p) => [p.partition, p.leader, p.replicas])).toEqual([
      [0, 1, [1]],
      [1, 1, [1]],
    ]);
    expect(bad?.errorCode).toBe('INVALID_TOPIC');
    await waitUntil('the replica manager to see the topic', () =>
      fake.images.some((image) => image.topicByName('auto') !== undefined),
    );
    const offsets = fake.images.map((image) => image.offset);
    expect([...offsets].sort((a, b) => a - b)).toEqual(offsets);

    const produce = await unary(
      client,
      'Produce',
      {
        acks: 1,
        timeoutMs: 1_000,
        topics: [{ name: 'auto', partitions: [{ partition: 0, records: Buffer.from('x') }] }],
      },
      { deadlineMs: 5_000 },
    );
    expect(produce.results[0]?.errorCode).toBe('NOT_LEADER');
    await expect(
      unary(client, 'Produce', { acks: 7, timeoutMs: 1_000, topics: [] }, { deadlineMs: 5_000 }),
    ).rejects.toMatchObject({ code: 'INVALID_REQUIRED_ACKS' });
    await expect(
      unary(client, 'Fetch', { maxWaitMs: 1e9, topics: [] }, { deadlineMs: 5_000 }),
    ).rejects.toMatchObject({ code: 'INVALID_REQUEST' });

    await broker.close();
    expect(fake.closed).toBe(true);
  });
});

describe('startBroker (three brokers, real replica manager)', () => {
  let cluster: InProcessCluster | undefined;
  afterEach(async () => {
    await cluster?.close();
    cluster = undefined;
  });

  it('replicates a produce with acks=all, serves it from the leader, refuses it on a follower', async () => {
    cluster = await InProcessCluster.start({ name: 'trib-broker-node' });
    const brokers = [
      await cluster.startBroker(1),
      await cluster.startBroker(2),
      await cluster.startBroker(3),
    ];
    await cluster.waitUnfenced();
    const admin = cluster.admin();
    await unary(
      admin,
      'CreateTopic',
      { name: 'orders', partitions: 1, replicationFactor: 3 },
      { deadlineMs: 5_000 },
    );

    // Every broker's own image shows the partition led by the same broker, with all three in the ISR.
    let leaderId = -1;
    await waitUntil('every broker to know the leader', async () => {
      const answers = await Promise.all(
        brokers.map((b) =>
          unary(
            cluster?.brokerClient(b) ?? fail(),
            'Metadata',
            { topics: ['orders'] },
            { deadlineMs: 2_000 },
          ),
        ),
      );
      const leaders = answers.map((a) => a.topics[0]?.topic?.partitions[0]?.leader ?? -1);
      leaderId = leaders[0] ?? -1;
      return leaderId >= 0 && leaders.every((l) => l === leaderId);
    });
    const leader = brokers.find((b) => b.nodeId === leaderId) ?? fail();
    const follower = brokers.find((b) => b.nodeId !== leaderId) ?? fail();
    const leaderClient = cluster.brokerClient(leader);

    const records = encodeRecordBatch({
      records: [
        { key: null, value: Buffer.from('one'), timestampMs: 1_000 },
        { key: Buffer.from('k'), value: Buffer.from('two'), timestampMs: 1_001 },
      ],
    });
    const request = {
      acks: -1,
      timeoutMs: 10_000,
      topics: [{ name: 'orders', partitions: [{ partition: 0, records }] }],
    };
    let produced = await unary(leaderClient, 'Produce', request, { deadlineMs: 15_000 });
    // Right after creation the followers may not have joined yet; acks=all is retriable until they do.
    for (let attempt = 0; attempt < 50 && produced.results[0]?.errorCode !== ''; attempt++) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      produced = await unary(leaderClient, 'Produce', request, { deadlineMs: 15_000 });
    }
    expect(produced.results[0]).toMatchObject({
      topic: 'orders',
      partition: 0,
      errorCode: '',
      baseOffset: 0,
    });

    const fetched = await unary(
      leaderClient,
      'Fetch',
      {
        maxWaitMs: 1_000,
        minBytes: 1,
        maxBytes: 1024 * 1024,
        topics: [
          {
            name: 'orders',
            partitions: [
              { partition: 0, fetchOffset: 0, partitionMaxBytes: 1024 * 1024, currentLeaderEpoch: -1 },
            ],
          },
        ],
      },
      { deadlineMs: 5_000 },
    );
    const result = fetched.results[0] ?? fail();
    expect(result.errorCode).toBe('');
    expect(result.highWatermark).toBe(2);
    const batch = decodeRecordBatch(result.records);
    expect(batch.records.map((r) => Buffer.from(r.value ?? []).toString())).toEqual(['one', 'two']);

    const refused = await unary(cluster.brokerClient(follower), 'Produce', request, { deadlineMs: 5_000 });
    expect(refused.results[0]).toMatchObject({ errorCode: 'NOT_LEADER', leaderId });
  });
});

function fail(): never {
  throw new Error('unexpected: missing value');
}
