import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type ControllerHandle, startController } from '@tributary/controller';
import { waitFor } from '@tributary/core/testing';
import { MetadataImage } from '@tributary/metadata';
import type {
  AlterPartitionItem,
  AlterPartitionResult__Output,
  FetchPartitionResult,
  ProducePartitionResult,
} from '@tributary/protocol';
import {
  checkHealth,
  createBrokerClient,
  createControllerAdminClient,
  listReflectedServices,
  unary,
} from '@tributary/protocol';
import { encodeRecordBatch } from '@tributary/records';
import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { type BrokerHandle, startBroker } from '../node/broker-node.js';
import { BrokerMetrics } from './broker-metrics.js';
import type { BrokerScrapeSources } from './scrape-gauges.js';

const DEADLINE_MS = 5_000;
const logger = pino({ level: process.env.TRIB_TEST_LOG_LEVEL ?? 'silent' });

/** The value of `name{labels}` (label order ignored, node_id implied) in Prometheus text, or undefined. */
function sample(
  text: string,
  name: string,
  labels: Record<string, string>,
  nodeId: number,
): number | undefined {
  const wanted = Object.entries({ ...labels, node_id: String(nodeId) })
    .map(([key, value]) => `${key}="${value}"`)
    .sort()
    .join(',');
  for (const line of text.split('\n')) {
    const match = /^([a-zA-Z_:][a-zA-Z0-9_:]*)\{(.*)\} (\S+)$/.exec(line);
    if (match === null || match[1] !== name) continue;
    if ((match[2] ?? '').split(',').sort().join(',') === wanted) return Number(match[3]);
  }
  return undefined;
}

function idleSources(): BrokerScrapeSources {
  return {
    brokerId: 4,
    image: () => MetadataImage.EMPTY,
    appliedMetadataOffset: () => 17,
    lifecycle: () => ({ status: 'fenced', brokerEpoch: 9 }),
    leaderPartitions: () => [],
    groups: () => [],
  };
}

function accepted(item: AlterPartitionItem): AlterPartitionResult__Output {
  return {
    topic: item.topic ?? '',
    partition: item.partition ?? 0,
    errorCode: '',
    errorMessage: '',
    partitionInfo: null,
  };
}

describe('BrokerMetrics (unit)', () => {
  it('counts the log directories online and offline', async () => {
    const metrics = new BrokerMetrics({
      ...idleSources(),
      logDirs: () => [
        { path: '/a', online: true },
        { path: '/b', online: false },
        { path: '/c', online: true },
      ],
    });
    const text = await metrics.registry.metrics();
    expect(sample(text, 'tributary_broker_log_directories', { state: 'online' }, 4)).toBe(2);
    expect(sample(text, 'tributary_broker_log_directories', { state: 'offline' }, 4)).toBe(1);
  });

  it('counts produce and fetch requests, bytes and per-partition errors around the data plane', async () => {
    const metrics = new BrokerMetrics(idleSources());
    const produceResult = { topic: 't', partition: 0, errorCode: 'NOT_LEADER' } as ProducePartitionResult;
    const fetchResult = {
      topic: 't',
      partition: 0,
      errorCode: '',
      records: Buffer.alloc(300),
    } as FetchPartitionResult;
    const dataPlane = metrics.instrumentDataPlane({
      produce: async () => [produceResult],
      fetch: async () => [fetchResult],
      listOffsets: async () => [],
      deleteRecords: async () => [],
      offsetForLeaderEpoch: () => [],
    });
    const batch = Buffer.alloc(120);
    await dataPlane.produce({
      acks: 1,
      timeoutMs: 1_000,
      transactionalId: '',
      topics: [
        {
          name: 't',
          partitions: [
            { partition: 0, records: batch },
            { partition: 1, records: batch },
          ],
        },
      ],
    } as never);
    await dataPlane.fetch({ maxWaitMs: 0, minBytes: 0, maxBytes: 1_000, topics: [] } as never);
    const text = await metrics.registry.metrics();
    expect(sample(text, 'tributary_broker_produce_requests_total', {}, 4)).toBe(1);
    expect(sample(text, 'tributary_broker_produce_bytes_total', {}, 4)).toBe(240);
    expect(sample(text, 'tributary_broker_produce_duration_seconds_count', { acks: '1' }, 4)).toBe(1);
    expect(
      sample(text, 'tributary_broker_produce_duration_seconds_count', { acks: 'all' }, 4),
    ).toBeUndefined();
    expect(sample(text, 'tributary_broker_fetch_requests_total', {}, 4)).toBe(1);
    expect(sample(text, 'tributary_broker_fetch_bytes_total', {}, 4)).toBe(300);
    expect(
      sample(
        text,
        'tributary_broker_partition_errors_total',
        { request: 'produce', error_code: 'NOT_LEADER' },
        4,
      ),
    ).toBe(1);
    expect(sample(text, 'tributary_broker_metadata_offset', {}, 4)).toBe(17);
    expect(sample(text, 'tributary_broker_epoch', {}, 4)).toBe(9);
    expect(sample(text, 'tributary_broker_lifecycle_state', { state: 'fenced' }, 4)).toBe(1);
    expect(sample(text, 'tributary_broker_lifecycle_state', { state: 'unfenced' }, 4)).toBe(0);
  });

  it('reports the replication throttle rate and totals (0 without a throttle)', async () => {
    let stats = { rateBytesPerSec: null as number | null, throttledBytesTotal: 0, throttledWaitsTotal: 0 };
    const metrics = new BrokerMetrics({ ...idleSources(), replicationThrottle: () => stats });
    let text = await metrics.registry.metrics();
    expect(sample(text, 'tributary_broker_replication_throttle_rate_bytes', {}, 4)).toBe(0);
    stats = { rateBytesPerSec: 5_000, throttledBytesTotal: 12_345, throttledWaitsTotal: 3 };
    text = await metrics.registry.metrics();
    expect(sample(text, 'tributary_broker_replication_throttle_rate_bytes', {}, 4)).toBe(5_000);
    expect(sample(text, 'tributary_broker_replication_throttled_bytes_total', {}, 4)).toBe(12_345);
    expect(sample(text, 'tributary_broker_replication_throttle_waits_total', {}, 4)).toBe(3);
  });

  it('counts accepted ISR shrinks and expands, not refused ones', async () => {
    const metrics = new BrokerMetrics(idleSources());
    const isr = new Map([
      ['a', [1, 2, 3]],
      ['b', [1]],
      ['c', [1, 2, 3]],
    ]);
    const alter = metrics.instrumentAlterPartition(
      async (items) =>
        items.map((item) =>
          item.topic === 'c' ? { ...accepted(item), errorCode: 'STALE_PARTITION_EPOCH' } : accepted(item),
        ),
      (topic) => isr.get(topic),
    );
    await alter([
      { topic: 'a', partition: 0, newIsr: [1, 2] },
      { topic: 'b', partition: 0, newIsr: [1, 2] },
      { topic: 'c', partition: 0, newIsr: [1] },
    ]);
    const text = await metrics.registry.metrics();
    expect(sample(text, 'tributary_broker_isr_shrinks_total', {}, 4)).toBe(1);
    expect(sample(text, 'tributary_broker_isr_expands_total', {}, 4)).toBe(1);
  });
});

async function startCluster(dir: string): Promise<{ controller: ControllerHandle; broker: BrokerHandle }> {
  const controller = await startController({
    nodeId: 1,
    listen: '127.0.0.1:0',
    dataDir: join(dir, 'controller'),
    voters: [{ id: 1, address: '127.0.0.1:0' }],
    logger,
  });
  await waitFor('the active controller', () => controller.isActive());
  const broker = await startBroker({
    nodeId: 1,
    listen: '127.0.0.1:0',
    dataDir: join(dir, 'broker'),
    controllers: [`127.0.0.1:${controller.port}`],
    logger,
    heartbeatIntervalMs: 100,
    controlledShutdownTimeoutMs: 2_000,
    offsetsTopicPartitions: 1,
    offsetsTopicReplicationFactor: 1,
    metricsListen: '127.0.0.1:0',
  });
  return { controller, broker };
}

describe('a broker with metricsListen', () => {
  it('serves traffic, partition, metadata and group-lag series, answers health SERVING and lists services', {
    timeout: 60_000,
  }, async () => {
    const dir = await mkdtemp(join(tmpdir(), 'trib-broker-metrics-'));
    const { controller, broker } = await startCluster(dir);
    const admin = createControllerAdminClient(`127.0.0.1:${controller.port}`);
    const address = `127.0.0.1:${broker.port}`;
    const client = createBrokerClient(address);
    try {
      expect(broker.metricsPort).not.toBeNull();
      await waitFor('the broker to be unfenced', () => broker.lifecycle.snapshot().status === 'unfenced');
      expect(await checkHealth(address, '', DEADLINE_MS)).toBe('SERVING');
      expect(await checkHealth(address, 'tributary.v1.Broker', DEADLINE_MS)).toBe('SERVING');
      const services = await listReflectedServices(address, DEADLINE_MS);
      expect(services).toEqual(
        expect.arrayContaining(['tributary.v1.Broker', 'tributary.v1.GroupCoordinator']),
      );

      await unary(
        admin,
        'CreateTopic',
        { name: 'metered', partitions: 2, replicationFactor: 1 },
        {
          deadlineMs: DEADLINE_MS,
        },
      );
      await waitFor('both partitions led here', () =>
        broker.replicaManager.leaderPartitions().filter((p) => p.topic === 'metered').length === 2
          ? true
          : null,
      );
      const records = encodeRecordBatch({
        records: [
          { key: null, value: Buffer.from('one'), timestampMs: 1_000 },
          { key: null, value: Buffer.from('two'), timestampMs: 1_001 },
        ],
      });
      const produced = await unary(
        client,
        'Produce',
        { acks: 1, timeoutMs: 5_000, topics: [{ name: 'metered', partitions: [{ partition: 0, records }] }] },
        { deadlineMs: DEADLINE_MS },
      );
      expect(produced.results[0]?.errorCode).toBe('');
      // A long poll: with acks=1 the produce is answered after the leader's append, but consumers see the
      // records only once the high watermark passes them, which (--durability fsync, the default) waits for the fsync.
      await unary(
        client,
        'Fetch',
        {
          maxWaitMs: 5_000,
          minBytes: 1,
          maxBytes: 1 << 20,
          topics: [
            { name: 'metered', partitions: [{ partition: 0, fetchOffset: 0, partitionMaxBytes: 1 << 20 }] },
          ],
        },
        { deadlineMs: DEADLINE_MS },
      );

      // A group member commits offset 1 of partition 0, whose high watermark is 2: lag 1.
      const coordinator = broker.groupCoordinator;
      if (coordinator === null) throw new Error('the real replica manager hosts a group coordinator');
      await coordinator.findCoordinator('metered-group');
      const joined = await waitFor('the group join', () => {
        try {
          return coordinator.heartbeat('metered-group', {
            memberId: 'member-1',
            memberEpoch: 0,
            clientId: 'test',
            subscribedTopics: ['metered'],
            assignor: '',
            rebalanceTimeoutMs: 0,
            sessionTimeoutMs: 30_000,
            ownedPartitions: [],
          });
        } catch {
          // Until the __consumer_offsets partition is led and loaded here.
          return null;
        }
      });
      await coordinator.commitOffsets('metered-group', joined, [
        { topic: 'metered', partition: 0, offset: 1, leaderEpoch: -1, metadata: '' },
      ]);

      const base = `http://127.0.0.1:${broker.metricsPort}`;
      const text = await waitFor('the group lag in the scrape', async () => {
        const body = await (await fetch(`${base}/metrics`)).text();
        const lag = sample(
          body,
          'tributary_broker_consumer_group_lag',
          {
            group: 'metered-group',
            topic: 'metered',
            partition: '0',
          },
          1,
        );
        return lag === undefined ? null : body;
      });
      const at = (name: string, labels: Record<string, string> = {}) => sample(text, name, labels, 1);
      expect(
        at('tributary_broker_consumer_group_lag', {
          group: 'metered-group',
          topic: 'metered',
          partition: '0',
        }),
      ).toBe(1);
      expect(at('tributary_broker_produce_requests_total')).toBeGreaterThanOrEqual(1);
      expect(at('tributary_broker_produce_bytes_total')).toBeGreaterThanOrEqual(records.byteLength);
      expect(at('tributary_broker_fetch_requests_total')).toBe(1);
      expect(at('tributary_broker_fetch_bytes_total')).toBeGreaterThan(0);
      expect(at('tributary_broker_partition_high_watermark', { topic: 'metered', partition: '0' })).toBe(2);
      expect(at('tributary_broker_partition_log_end_offset', { topic: 'metered', partition: '0' })).toBe(2);
      expect(at('tributary_broker_partition_log_end_offset', { topic: 'metered', partition: '1' })).toBe(0);
      // metered (2) and __consumer_offsets (1), all led here with a full ISR.
      expect(at('tributary_broker_partitions', { state: 'led' })).toBe(3);
      expect(at('tributary_broker_partitions', { state: 'under_replicated' })).toBe(0);
      expect(at('tributary_broker_partitions', { state: 'offline' })).toBe(0);
      expect(at('tributary_broker_metadata_offset')).toBeGreaterThan(0);
      expect(at('tributary_broker_lifecycle_state', { state: 'unfenced' })).toBe(1);
      expect(
        at('tributary_rpc_duration_seconds_count', {
          service: 'tributary.v1.Broker',
          method: 'Fetch',
          code: 'OK',
        }),
      ).toBe(1);
      expect((await fetch(`${base}/`)).status).toBe(404);
    } finally {
      client.close();
      admin.close();
      await broker.close();
      await controller.close();
      await rm(dir, { recursive: true, force: true });
    }
  });
});
