/**
 * For the replica layer's tests: brokers as ReplicaManagers in this process, replicating over real gRPC on
 * 127.0.0.1, driven by hand-built metadata images, with a fake controller that commits AlterPartition ISR
 * changes. Time is a ManualClock the test moves (the replication throttle refills only when it does).
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type * as grpc from '@grpc/grpc-js';
import {
  brokerEpoch,
  brokerId,
  leaderEpoch,
  ManualClock,
  partitionEpoch,
  WIRE_LIMITS,
} from '@tributary/core';
import { MetadataImage, type MetadataRecord, type PartitionState, replayAll } from '@tributary/metadata';
import {
  type AlterPartitionItem,
  type AlterPartitionResult__Output,
  addReplicationService,
  bindServer,
  createServer,
  handleUnary,
  type ReplicaFetchRequest__Output,
  type ReplicaFetchResponse,
  type ReplicationClient,
  type ReplicationHandlers,
  serveRequestStream,
  shutdownServer,
} from '@tributary/protocol';
import { encodeRecordBatch } from '@tributary/records';
import pino from 'pino';
import { snapshotChanges } from '../metadata-follower/snapshot-changes.js';
import { createReplicaFetchClient } from './follower-fetcher.js';
import type { LogCleanerSettings } from './log-cleaning.js';
import { ReplicaManager } from './replica-manager.js';

const logger = pino({ level: 'silent' });

/** The Replication service of a test broker, unary and streamed, over its replica manager's replicaFetch. */
export function replicationHandlersOf(
  replicaFetch: (request: ReplicaFetchRequest__Output) => Promise<ReplicaFetchResponse>,
): ReplicationHandlers {
  return {
    ReplicaFetch: handleUnary(replicaFetch),
    ReplicaFetchStream: (call) =>
      serveRequestStream(call, {
        handle: async (request) => ({
          errorCode: '',
          errorMessage: '',
          response: await replicaFetch(request),
        }),
        failed: (_request, error) => ({ ...error, response: null }),
        order: 'serial',
        pendingRequestsMax: WIRE_LIMITS.replicaFetchStreamPendingRequestsMax,
      }),
  };
}

/** A batch of `count` records of `valueBytes` each. */
export function testBatch(count: number, valueBytes: number): Buffer {
  return encodeRecordBatch({
    records: Array.from({ length: count }, (_, i) => ({
      key: null,
      value: Buffer.alloc(valueBytes, 0x61 + (i % 26)),
      timestampMs: 1_000 + i,
    })),
  });
}

/** Polls `condition` every 10 ms, at most `timeoutMs` (a bounded wait; never a timing assertion). */
export async function waitUntil(what: string, condition: () => boolean, timeoutMs = 15_000): Promise<void> {
  const start = Date.now();
  while (!condition()) {
    if (Date.now() - start > timeoutMs) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

/** The image each manager was last given by applyImage(), what the next one's changes are relative to. */
const appliedImages = new WeakMap<ReplicaManager, MetadataImage>();

/**
 * Test code's applyMetadata: gives `manager` the image with what changed since the image it was given last
 * (the follower's comparison after a snapshot load), as the broker node's ImageApplier does.
 */
export function applyImage(manager: ReplicaManager, image: MetadataImage): Promise<void> {
  const previous = appliedImages.get(manager) ?? MetadataImage.EMPTY;
  appliedImages.set(manager, image);
  return manager.applyMetadata(image, snapshotChanges(previous, image));
}

interface TestNode {
  readonly id: number;
  readonly dataDir: string;
  readonly server: grpc.Server;
  address: string;
  manager: ReplicaManager | null;
}

export class ReplicaTestCluster {
  readonly clock = new ManualClock(1_000);
  image = MetadataImage.EMPTY;
  readonly alterCalls: AlterPartitionItem[][] = [];
  private readonly nodes: TestNode[] = [];
  private readonly clients = new Map<string, ReplicationClient>();

  private constructor(readonly root: string) {}

  static async start(brokerIds: readonly number[]): Promise<ReplicaTestCluster> {
    const cluster = new ReplicaTestCluster(await mkdtemp(join(tmpdir(), 'replica-cluster-')));
    for (const id of brokerIds) {
      const server = createServer();
      const node: TestNode = {
        id,
        dataDir: join(cluster.root, `broker-${id}`),
        server,
        address: '',
        manager: null,
      };
      addReplicationService(
        server,
        replicationHandlersOf(async (request) => {
          if (node.manager === null) throw new Error('broker down');
          return { results: await node.manager.replicaFetch(request) };
        }),
      );
      node.address = `127.0.0.1:${await bindServer(server, '127.0.0.1:0')}`;
      cluster.nodes.push(node);
    }
    cluster.replay(
      cluster.nodes.map(
        (node): MetadataRecord => ({
          type: 'RegisterBroker',
          brokerId: brokerId(node.id),
          brokerEpoch: brokerEpoch(node.id),
          incarnationId: `inc-${node.id}`,
          address: node.address,
          rack: null,
          fenced: false,
        }),
      ),
    );
    return cluster;
  }

  dataDir(id: number): string {
    return this.node(id).dataDir;
  }

  manager(id: number): ReplicaManager {
    const manager = this.node(id).manager;
    if (manager === null) throw new Error(`broker ${id} is down`);
    return manager;
  }

  async startBroker(
    id: number,
    config: {
      replicaFetchMaxBytes?: number;
      replicaFetchMaxWaitMs?: number;
      logCleaner?: LogCleanerSettings;
      defaultFlushOnAck?: boolean;
      /** Further log directories (the first is dataDir(id)). */
      additionalLogDirs?: readonly string[];
      onLogDirOffline?: (logDir: string, allOffline: boolean) => void;
    } = {},
  ): Promise<ReplicaManager> {
    const node = this.node(id);
    const { additionalLogDirs, onLogDirOffline, ...replicaConfig } = config;
    node.manager = await ReplicaManager.open({
      brokerId: id,
      dataDir: node.dataDir,
      ...(additionalLogDirs === undefined ? {} : { additionalLogDirs }),
      ...(onLogDirOffline === undefined ? {} : { onLogDirOffline }),
      clock: this.clock,
      logger,
      alterPartition: (items) => this.alterPartition(items),
      replicationClient: (address) => this.client(address),
      brokerEpoch: () => id,
      config: { replicaLagTimeMaxMs: 10_000, replicaFetchMaxWaitMs: 100, ...replicaConfig },
    });
    await applyImage(node.manager, this.image);
    return node.manager;
  }

  /** Closes broker `id`'s manager (its server stays bound and answers "broker down"); startBroker reopens it. */
  async stopBroker(id: number): Promise<void> {
    const node = this.node(id);
    const manager = node.manager;
    node.manager = null;
    await manager?.close();
  }

  /** Commits records to the image and hands it to every running broker. */
  async publish(records: readonly MetadataRecord[]): Promise<void> {
    this.replay(records);
    await Promise.all(
      this.nodes.map((node) => (node.manager === null ? undefined : applyImage(node.manager, this.image))),
    );
  }

  async createTopic(
    name: string,
    replicas: readonly number[],
    configs: Record<string, string> = {},
  ): Promise<void> {
    const id = `t-${name}`;
    await this.publish([
      { type: 'Topic', name, topicId: id },
      ...Object.entries(configs).map(
        ([key, value]): MetadataRecord => ({
          type: 'Config',
          resourceType: 'topic',
          resourceName: name,
          name: key,
          value,
        }),
      ),
      {
        type: 'Partition',
        topicId: id,
        partition: 0,
        replicas: replicas.map(brokerId),
        isr: replicas.map(brokerId),
        leader: brokerId(replicas[0] ?? 1),
        leaderEpoch: leaderEpoch(0),
        partitionEpoch: partitionEpoch(0),
      },
    ]);
  }

  state(topic: string): PartitionState {
    const state = this.image.topicByName(topic)?.partitions.get(0);
    if (state === undefined) throw new Error(`no partition ${topic}-0`);
    return state;
  }

  /** A PartitionChange of partition 0 at the next partition epoch (and leader epoch when the leader moves). */
  async changePartition(
    topic: string,
    change: {
      readonly replicas?: readonly number[];
      readonly isr?: readonly number[];
      readonly leader?: number;
      readonly addingReplicas?: readonly number[];
      readonly removingReplicas?: readonly number[];
    },
  ): Promise<void> {
    const state = this.state(topic);
    const newLeader = change.leader !== undefined && change.leader !== state.leader;
    await this.publish([
      {
        type: 'PartitionChange',
        topicId: state.topicId,
        partition: 0,
        ...(change.replicas === undefined ? {} : { replicas: change.replicas.map(brokerId) }),
        ...(change.isr === undefined ? {} : { isr: change.isr.map(brokerId) }),
        ...(change.leader === undefined ? {} : { leader: brokerId(change.leader) }),
        ...(change.addingReplicas === undefined
          ? {}
          : { addingReplicas: change.addingReplicas.map(brokerId) }),
        ...(change.removingReplicas === undefined
          ? {}
          : { removingReplicas: change.removingReplicas.map(brokerId) }),
        leaderEpoch: leaderEpoch(state.leaderEpoch + (newLeader ? 1 : 0)),
        partitionEpoch: partitionEpoch(state.partitionEpoch + 1),
      },
    ]);
  }

  async setClusterConfig(name: string, value: string | null): Promise<void> {
    await this.publish([{ type: 'Config', resourceType: 'cluster', resourceName: '', name, value }]);
  }

  async close(): Promise<void> {
    for (const node of this.nodes) {
      await node.manager?.close();
      node.manager = null;
      await shutdownServer(node.server, 100);
    }
    for (const client of this.clients.values()) client.close();
    await rm(this.root, { recursive: true, force: true });
  }

  private node(id: number): TestNode {
    const node = this.nodes.find((n) => n.id === id);
    if (node === undefined) throw new Error(`no node ${id}`);
    return node;
  }

  private client(address: string): ReplicationClient {
    let client = this.clients.get(address);
    if (client === undefined) {
      client = createReplicaFetchClient(address);
      this.clients.set(address, client);
    }
    return client;
  }

  private replay(records: readonly MetadataRecord[]): void {
    const start = this.image.offset + 1;
    this.image = replayAll(
      this.image,
      records.map((record, i) => ({ record, offset: start + i })),
    );
  }

  /** Commits an ISR change when its epochs are current (what the controller checks), like the real one. */
  private async alterPartition(items: AlterPartitionItem[]): Promise<AlterPartitionResult__Output[]> {
    this.alterCalls.push(items);
    const results: AlterPartitionResult__Output[] = [];
    for (const item of items) {
      const topic = item.topic ?? '';
      const partition = item.partition ?? 0;
      const state = this.image.topicByName(topic)?.partitions.get(partition);
      if (
        state === undefined ||
        state.partitionEpoch !== item.partitionEpoch ||
        state.leaderEpoch !== item.leaderEpoch
      ) {
        const stale = { errorCode: 'STALE_PARTITION_EPOCH', errorMessage: 'stale', partitionInfo: null };
        results.push({ topic, partition, ...stale });
        continue;
      }
      await this.changePartition(topic, { isr: item.newIsr ?? [] });
      const next = this.state(topic);
      results.push({
        topic,
        partition,
        errorCode: '',
        errorMessage: '',
        partitionInfo: {
          partition,
          leader: next.leader,
          leaderEpoch: next.leaderEpoch,
          partitionEpoch: next.partitionEpoch,
          replicas: [...next.replicas],
          isr: [...next.isr],
          addingReplicas: [...(next.addingReplicas ?? [])],
          removingReplicas: [...(next.removingReplicas ?? [])],
        },
      });
    }
    return results;
  }
}

/** One produce of `records` to partition 0 of `topic` through a broker's replica manager. */
export async function produceTo(
  manager: ReplicaManager,
  topic: string,
  records: Buffer,
  acks = 1,
): Promise<{ errorCode: string; baseOffset: number }> {
  const [result] = await manager.produce({
    acks,
    timeoutMs: 5_000,
    topics: [{ name: topic, partitions: [{ partition: 0, records }] }],
    transactionalId: '',
  });
  if (result === undefined) throw new Error('produce answered no partition');
  return { errorCode: result.errorCode ?? '', baseOffset: Number(result.baseOffset ?? -1) };
}
