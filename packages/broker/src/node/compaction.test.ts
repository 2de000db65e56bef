/**
 * Log compaction on a running broker (issue 14): a compacted topic written with many updates over few keys
 * shrinks and a consumer from the beginning sees the last value per key; keyless records are refused; a
 * topic altered to cleanup.policy=compact starts being cleaned; __consumer_offsets, compacted, stays small
 * under many commits of one group, and a restarted coordinator loads the right offsets from the cleaned log.
 */
import { waitFor } from '@tributary/core/testing';
import type { PartitionLog } from '@tributary/log';
import { type BrokerClient, createGroupCoordinatorClient, unary } from '@tributary/protocol';
import { decodeRecordBatch, encodeRecordBatch, splitBatches } from '@tributary/records';
import { afterEach, describe, expect, it } from 'vitest';
import { OFFSETS_TOPIC } from '../group/limits.js';
import { ReplicaManager } from '../replica/index.js';
import { InProcessCluster } from '../testing/in-process-cluster.js';
import type { BrokerHandle } from './broker-node.js';

const CALL = { deadlineMs: 5_000 };
const WAIT_MS = 20_000;

let cluster: InProcessCluster | null = null;

afterEach(async () => {
  await cluster?.close();
  cluster = null;
});

async function startCluster(): Promise<{ c: InProcessCluster; broker: BrokerHandle }> {
  const c = await InProcessCluster.start({
    name: 'trib-compaction',
    brokerDefaults: { logCleanerBackoffMs: 100, offsetsTopicPartitions: 1, offsetsTopicReplicationFactor: 1 },
  });
  cluster = c;
  const broker = await c.startBroker(1);
  await c.waitUnfenced();
  return { c, broker };
}

function managerOf(broker: BrokerHandle): ReplicaManager {
  const manager = broker.replicaManager;
  if (!(manager instanceof ReplicaManager)) throw new Error('the broker runs the real replica manager');
  return manager;
}

function logOf(broker: BrokerHandle, topic: string): PartitionLog {
  const log = managerOf(broker).partitionReplica(topic, 0)?.log;
  if (log === undefined) throw new Error(`${topic}-0 is not hosted`);
  return log;
}

async function createTopic(
  c: InProcessCluster,
  name: string,
  configs: Record<string, string>,
): Promise<void> {
  const request = {
    name,
    partitions: 1,
    replicationFactor: 1,
    configs: Object.entries(configs).map(([key, value]) => ({ name: key, value })),
  };
  await unary(c.admin(), 'CreateTopic', request, CALL);
  await waitFor(
    `${name} to be led here`,
    () => c.brokers.some((b) => b.replicaManager.leaderPartitions().some((p) => p.topic === name)),
    WAIT_MS,
  );
}

async function alterConfigs(c: InProcessCluster, name: string, set: Record<string, string>): Promise<void> {
  const entries = Object.entries(set).map(([key, value]) => ({ name: key, value }));
  await unary(c.admin(), 'AlterTopicConfigs', { name, set: entries, remove: [] }, CALL);
}

async function produce(client: BrokerClient, topic: string, records: Buffer): Promise<string> {
  const request = {
    acks: -1,
    timeoutMs: 5_000,
    topics: [{ name: topic, partitions: [{ partition: 0, records }] }],
  };
  const response = await unary(client, 'Produce', request, CALL);
  return response.results[0]?.errorCode ?? 'no result';
}

/** `count` updates over `keys` keys, 50 per batch: key k<i % keys> = v<i>. */
/** Returns the bytes written (the batches as sent: what the log holds before any cleaning). */
async function writeUpdates(
  client: BrokerClient,
  topic: string,
  count: number,
  keys: number,
): Promise<number> {
  let bytes = 0;
  for (let start = 0; start < count; start += 50) {
    const records = Array.from({ length: Math.min(50, count - start) }, (_, i) => ({
      key: Buffer.from(`k${(start + i) % keys}`),
      value: Buffer.from(`v${start + i}`),
      timestampMs: Date.now(),
    }));
    const batch = encodeRecordBatch({ records });
    bytes += batch.length;
    expect(await produce(client, topic, batch)).toBe('');
  }
  return bytes;
}

/** What a consumer from the beginning reads up to the high watermark: [key, value] in offset order. */
async function consumeAll(client: BrokerClient, topic: string): Promise<[string, string][]> {
  const records: [string, string][] = [];
  let offset = 0;
  for (let round = 0; round < 1_000; round++) {
    const partition = {
      partition: 0,
      fetchOffset: offset,
      partitionMaxBytes: 64 * 1024,
      currentLeaderEpoch: -1,
    };
    const request = {
      maxWaitMs: 0,
      minBytes: 0,
      maxBytes: 1024 * 1024,
      topics: [{ name: topic, partitions: [partition] }],
    };
    const result = (await unary(client, 'Fetch', request, CALL)).results[0];
    expect(result?.errorCode).toBe('');
    if (result === undefined || result.records.length === 0) return records;
    for (const batch of splitBatches(result.records).batches) {
      for (const record of decodeRecordBatch(batch.bytes()).records) {
        if (record.offset < offset) continue;
        records.push([Buffer.from(record.key ?? []).toString(), Buffer.from(record.value ?? []).toString()]);
        offset = record.offset + 1;
      }
      offset = Math.max(offset, batch.baseOffset + batch.lastOffsetDelta + 1);
    }
    if (offset >= Number(result.highWatermark)) return records;
  }
  throw new Error('the fetch loop did not reach the high watermark');
}

function lastPerKey(count: number, keys: number): Map<string, string> {
  const last = new Map<string, string>();
  for (let i = 0; i < count; i++) last.set(`k${i % keys}`, `v${i}`);
  return last;
}

describe('log compaction on a broker', () => {
  it('shrinks a compacted topic to about one record per key; keyless records are refused', {
    timeout: 60_000,
  }, async () => {
    const { c, broker } = await startCluster();
    await createTopic(c, 'table', { 'cleanup.policy': 'compact', 'segment.bytes': '4096' });
    const client = c.brokerClient(broker);

    const keyless = encodeRecordBatch({
      records: [{ key: null, value: Buffer.from('x'), timestampMs: Date.now() }],
    });
    expect(await produce(client, 'table', keyless)).toBe('INVALID_RECORD');

    // The cleaner already runs while the updates arrive: compare with what was written, not the log's size.
    const written = await writeUpdates(client, 'table', 5_000, 20);
    const log = logOf(broker, 'table');
    // Everything but the active segment (at most 4 KiB) comes down to one record per key. Waits for what
    // is asserted: the log may pass a quarter of what was written after a pass while the tail written
    // since is still dirty (the next pass comes after the cleaner's backoff).
    await waitFor(
      'the cleaner to compact the topic',
      async () => log.sizeBytes < written / 4 && (await consumeAll(client, 'table')).length < 1_000,
      WAIT_MS,
    );
    const read = await consumeAll(client, 'table');
    expect(read.length).toBeLessThan(1_000);
    expect(new Map(read)).toEqual(lastPerKey(5_000, 20));
    const stats = managerOf(broker).logCleanerStats();
    expect(stats?.cleansTotal).toBeGreaterThan(0);
    expect(stats?.recordsRemovedTotal).toBeGreaterThan(3_000);
    expect(stats?.errorsTotal).toBe(0);
  });

  it('starts cleaning a topic once its cleanup.policy is altered to compact', {
    timeout: 60_000,
  }, async () => {
    const { c, broker } = await startCluster();
    await createTopic(c, 'changelog', { 'segment.bytes': '4096' });
    const client = c.brokerClient(broker);
    await writeUpdates(client, 'changelog', 2_000, 10);
    const log = logOf(broker, 'changelog');
    // A delete-policy log is not the cleaner's: it has no dirty ratio and keeps every record.
    expect((await consumeAll(client, 'changelog')).length).toBe(2_000);
    expect(managerOf(broker).logCleanerStats()?.dirtyRatios.has('changelog-0')).toBe(false);

    await alterConfigs(c, 'changelog', { 'cleanup.policy': 'compact' });
    await waitFor('the log to take the policy', () => log.currentConfig.cleanupPolicy === 'compact', WAIT_MS);
    await waitFor(
      'the cleaner to compact the topic',
      async () => (await consumeAll(client, 'changelog')).length < 500,
      WAIT_MS,
    );
    expect(new Map(await consumeAll(client, 'changelog'))).toEqual(lastPerKey(2_000, 10));
  });

  it('keeps __consumer_offsets small under many commits, and a reloaded coordinator reads the last ones', {
    timeout: 90_000,
  }, async () => {
    const { c, broker } = await startCluster();
    await createTopic(c, 'events', {});
    const groups = c.track(createGroupCoordinatorClient(broker.advertisedAddress));
    // The first FindCoordinator creates the offsets topic (compacted, see offsets-topic.ts).
    await waitFor(
      'the coordinator',
      async () =>
        (await unary(groups, 'FindCoordinator', { groupId: 'g' }, CALL)).errorCode === '' &&
        (await unary(groups, 'OffsetFetch', { groupId: 'g' }, CALL)).errorCode === '',
      WAIT_MS,
      100,
    );
    const configs = broker.follower.currentImage().topicConfigs(OFFSETS_TOPIC);
    expect(configs.get('cleanup.policy')).toBe('compact');
    expect(configs.has('retention.ms')).toBe(false);
    // Small segments so that the cleaner has closed ones to work on within this test.
    await alterConfigs(c, OFFSETS_TOPIC, { 'segment.bytes': '4096' });
    const log = logOf(broker, OFFSETS_TOPIC);
    await waitFor(
      'the offsets log to take segment.bytes',
      () => log.currentConfig.segmentBytes === 4096,
      WAIT_MS,
    );

    const commits = 800;
    for (let i = 1; i <= commits; i++) {
      const partitions = [0, 1, 2, 3].map((partition) => ({
        partition,
        offset: i * 10 + partition,
        leaderEpoch: -1,
        metadata: '',
      }));
      const request = {
        groupId: 'g',
        memberId: '',
        memberEpoch: -1,
        topics: [{ name: 'events', partitions }],
      };
      expect((await unary(groups, 'OffsetCommit', request, CALL)).errorCode).toBe('');
    }
    const written = log.logEndOffset;
    expect(written).toBeGreaterThanOrEqual(commits * 4);
    // 3,200 commit records of ~100 bytes: cleaned, the log is its 4 live records plus the active segment.
    await waitFor('the offsets log to be compacted', () => log.sizeBytes < 16 * 1024, WAIT_MS);

    // A restarted broker loads its coordinator shard from the cleaned log (gaps between offsets).
    await broker.close();
    const restarted = await c.startBroker(1);
    const reloaded = c.track(createGroupCoordinatorClient(restarted.advertisedAddress));
    const fetched = await waitFor(
      'the reloaded coordinator',
      async () => {
        if ((await unary(reloaded, 'FindCoordinator', { groupId: 'g' }, CALL)).errorCode !== '') return false;
        const response = await unary(reloaded, 'OffsetFetch', { groupId: 'g' }, CALL);
        return response.errorCode === '' ? response : false;
      },
      WAIT_MS,
      100,
    );
    const offsets = fetched.offsets.map((committed) => [committed.partition, Number(committed.offset)]);
    expect(offsets.sort((a, b) => (a[0] ?? 0) - (b[0] ?? 0))).toEqual(
      [0, 1, 2, 3].map((p) => [p, commits * 10 + p]),
    );
  });
});
