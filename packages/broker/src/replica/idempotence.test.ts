/**
 * Idempotent produce through the replica manager: three brokers in one process replicating over real
 * gRPC, metadata published by the test (no controller; ISR changes are not acknowledged, which these
 * tests do not need).
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type * as grpc from '@grpc/grpc-js';
import { brokerEpoch, brokerId, leaderEpoch, ManualClock, partitionEpoch } from '@tributary/core';
import { MetadataImage, type MetadataRecord, replayAll } from '@tributary/metadata';
import {
  addReplicationService,
  bindServer,
  createServer,
  type ProducePartitionResult,
  type ReplicationClient,
  shutdownServer,
} from '@tributary/protocol';
import { encodeRecordBatch } from '@tributary/records';
import pino from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { createReplicaFetchClient } from './follower-fetcher.js';
import { ReplicaManager } from './replica-manager.js';
import { applyImage, replicationHandlersOf } from './test-cluster.js';

const TOPIC = 'orders';
const TOPIC_ID = 't-orders';
const PRODUCER_ID = 4_000;
const logger = pino({ level: 'silent' });
const IDS = [1, 2, 3] as const;

/** Fresh bytes each call, as a retry arrives off the wire: `count` records from `baseSequence`. */
function sequenced(baseSequence: number, count = 1, producerEpoch = 0): Buffer {
  return encodeRecordBatch({
    producerId: PRODUCER_ID,
    producerEpoch,
    baseSequence,
    records: Array.from({ length: count }, (_, i) => ({
      key: null,
      value: Buffer.from(`value-${baseSequence + i}`),
      timestampMs: 1_000 + i,
    })),
  });
}

async function waitFor(condition: () => boolean, timeoutMs = 10_000): Promise<void> {
  const start = Date.now();
  while (!condition()) {
    if (Date.now() - start > timeoutMs) throw new Error('condition not reached in time');
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

class Cluster {
  readonly clock = new ManualClock(1_000);
  readonly managers = new Map<number, ReplicaManager>();
  readonly servers: grpc.Server[] = [];
  readonly addresses = new Map<number, string>();
  image = MetadataImage.EMPTY;
  private readonly clients = new Map<string, ReplicationClient>();

  constructor(private readonly root: string) {}

  async start(): Promise<void> {
    for (const id of IDS) {
      const server = createServer();
      addReplicationService(
        server,
        replicationHandlersOf(async (request) => ({ results: await this.manager(id).replicaFetch(request) })),
      );
      this.addresses.set(id, `127.0.0.1:${await bindServer(server, '127.0.0.1:0')}`);
      this.servers.push(server);
    }
    this.replay(
      IDS.map(
        (id): MetadataRecord => ({
          type: 'RegisterBroker',
          brokerId: brokerId(id),
          brokerEpoch: brokerEpoch(id),
          incarnationId: `inc-${id}`,
          address: this.addresses.get(id) ?? '',
          rack: null,
          fenced: false,
        }),
      ),
    );
  }

  manager(id: number): ReplicaManager {
    const manager = this.managers.get(id);
    if (manager === undefined) throw new Error(`broker ${id} is down`);
    return manager;
  }

  async startBroker(id: number): Promise<void> {
    const manager = await ReplicaManager.open({
      brokerId: id,
      dataDir: join(this.root, `broker-${id}`),
      clock: this.clock,
      logger,
      // Accepted and ignored: the ISR these tests publish stays as published.
      alterPartition: async () => [],
      replicationClient: (address) => {
        let client = this.clients.get(address);
        if (client === undefined) {
          client = createReplicaFetchClient(address);
          this.clients.set(address, client);
        }
        return client;
      },
      brokerEpoch: () => id,
      config: { replicaLagTimeMaxMs: 60_000, replicaFetchMaxWaitMs: 100 },
    });
    this.managers.set(id, manager);
    await applyImage(manager, this.image);
  }

  replay(records: readonly MetadataRecord[]): void {
    const start = this.image.offset + 1;
    this.image = replayAll(
      this.image,
      records.map((record, i) => ({ record, offset: start + i })),
    );
  }

  async publish(records: readonly MetadataRecord[]): Promise<void> {
    this.replay(records);
    await Promise.all([...this.managers.values()].map((manager) => applyImage(manager, this.image)));
  }

  async createTopic(): Promise<void> {
    await this.publish([
      { type: 'Topic', name: TOPIC, topicId: TOPIC_ID },
      {
        type: 'Partition',
        topicId: TOPIC_ID,
        partition: 0,
        replicas: IDS.map(brokerId),
        isr: IDS.map(brokerId),
        leader: brokerId(1),
        leaderEpoch: leaderEpoch(0),
        partitionEpoch: partitionEpoch(0),
      },
    ]);
  }

  async moveLeader(to: number, epoch: number): Promise<void> {
    await this.publish([
      {
        type: 'PartitionChange',
        topicId: TOPIC_ID,
        partition: 0,
        leader: brokerId(to),
        leaderEpoch: leaderEpoch(epoch),
        partitionEpoch: partitionEpoch(epoch),
      },
    ]);
  }

  async produce(id: number, acks: number, records: Buffer): Promise<ProducePartitionResult> {
    const [result] = await this.manager(id).produce({
      acks,
      timeoutMs: 10_000,
      topics: [{ name: TOPIC, partitions: [{ partition: 0, records }] }],
      transactionalId: '',
    });
    if (result === undefined) throw new Error('no produce result');
    return result;
  }

  logEnd(id: number): number {
    return this.manager(id).partitionReplica(TOPIC, 0)?.log.logEndOffset ?? -1;
  }

  highWatermark(id: number): number {
    return this.manager(id).partitionReplica(TOPIC, 0)?.highWatermark ?? -1;
  }

  async close(): Promise<void> {
    for (const manager of this.managers.values()) await manager.close();
    this.managers.clear();
    for (const server of this.servers) await shutdownServer(server, 100);
    for (const client of this.clients.values()) client.close();
  }
}

let root = '';
let cluster: Cluster | null = null;

async function startCluster(): Promise<Cluster> {
  root = await mkdtemp(join(tmpdir(), 'idempotence-'));
  cluster = new Cluster(root);
  await cluster.start();
  return cluster;
}

afterEach(async () => {
  await cluster?.close();
  cluster = null;
  if (root !== '') await rm(root, { recursive: true, force: true });
  root = '';
});

describe('idempotent produce', () => {
  it('keeps one copy of a batch sent twice and answers both with its offset', async () => {
    const c = await startCluster();
    await Promise.all(IDS.map((id) => c.startBroker(id)));
    await c.createTopic();
    expect(await c.produce(1, -1, sequenced(0, 2))).toMatchObject({ errorCode: '', baseOffset: 0 });
    const retry = await c.produce(1, -1, sequenced(0, 2));
    expect(retry).toMatchObject({ errorCode: '', baseOffset: 0 });
    expect(c.logEnd(1)).toBe(2);
    expect(await c.produce(1, -1, sequenced(2))).toMatchObject({ errorCode: '', baseOffset: 2 });
    expect(c.logEnd(1)).toBe(3);
  }, 30_000);

  it('refuses out-of-order sequences and old epochs with their codes', async () => {
    const c = await startCluster();
    await c.startBroker(1);
    await c.createTopic();
    await c.produce(1, 1, sequenced(0, 1, 3));
    expect(await c.produce(1, 1, sequenced(5, 1, 3))).toMatchObject({
      errorCode: 'OUT_OF_ORDER_SEQUENCE_NUMBER',
      baseOffset: -1,
    });
    expect(await c.produce(1, 1, sequenced(1, 1, 2))).toMatchObject({ errorCode: 'INVALID_PRODUCER_EPOCH' });
    expect(c.logEnd(1)).toBe(1);
  }, 30_000);

  it('holds a batch that arrived before its predecessor until the predecessor is in', async () => {
    const c = await startCluster();
    await c.startBroker(1);
    await c.createTopic();
    expect(await c.produce(1, 1, sequenced(0, 2))).toMatchObject({ errorCode: '', baseOffset: 0 });
    // Sequence 4 overtakes sequence 2 (HTTP/2 interleaves concurrent requests): it waits instead of failing.
    const early = c.produce(1, 1, sequenced(4, 1));
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(c.logEnd(1)).toBe(2);
    expect(await c.produce(1, 1, sequenced(2, 2))).toMatchObject({ errorCode: '', baseOffset: 2 });
    expect(await early).toMatchObject({ errorCode: '', baseOffset: 4 });
    expect(c.logEnd(1)).toBe(5);
  }, 30_000);

  it('answers an acks=all retry only once the original batch is replicated', async () => {
    const c = await startCluster();
    await c.startBroker(1);
    await c.createTopic();
    // The first attempt lands on the leader alone (acks=1 stands in for an acks=all that timed out).
    expect(await c.produce(1, 1, sequenced(0, 3))).toMatchObject({ errorCode: '', baseOffset: 0 });
    let settled = false;
    const retry = c.produce(1, -1, sequenced(0, 3)).then((result) => {
      settled = true;
      return result;
    });
    await new Promise((resolve) => setTimeout(resolve, 150));
    expect(settled).toBe(false);
    expect(c.highWatermark(1)).toBe(0);
    await Promise.all([c.startBroker(2), c.startBroker(3)]);
    expect(await retry).toMatchObject({ errorCode: '', baseOffset: 0 });
    expect(c.highWatermark(1)).toBeGreaterThanOrEqual(3);
    expect(c.logEnd(1)).toBe(3);
  }, 30_000);

  it('deduplicates a retry of the last batch on a new leader', async () => {
    const c = await startCluster();
    await Promise.all(IDS.map((id) => c.startBroker(id)));
    await c.createTopic();
    for (let sequence = 0; sequence < 6; sequence += 2) {
      expect(await c.produce(1, -1, sequenced(sequence, 2))).toMatchObject({ errorCode: '' });
    }
    await waitFor(() => c.logEnd(2) === 6);
    await c.moveLeader(2, 1);
    // The producer did not see the answer for sequence 4 and retries it on the new leader.
    expect(await c.produce(2, 1, sequenced(4, 2))).toMatchObject({ errorCode: '', baseOffset: 4 });
    expect(c.logEnd(2)).toBe(6);
    expect(await c.produce(2, 1, sequenced(6))).toMatchObject({ errorCode: '', baseOffset: 6 });
    expect(await c.produce(2, 1, sequenced(9))).toMatchObject({ errorCode: 'OUT_OF_ORDER_SEQUENCE_NUMBER' });
  }, 30_000);
});
