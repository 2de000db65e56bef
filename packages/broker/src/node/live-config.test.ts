/**
 * Topic configs altered through the real controller (AlterTopicConfigs) reach every replica's open log
 * without a restart: segment.bytes changes rolling, retention.ms / retention.bytes delete at once (not at
 * the next periodic retention check), and a removed key goes back to the default.
 */
import { DEFAULT_LOG_CONFIG, type PartitionLog } from '@tributary/log';
import { type BrokerClient, unary } from '@tributary/protocol';
import { encodeRecordBatch } from '@tributary/records';
import { afterEach, describe, expect, it } from 'vitest';
import { ReplicaManager } from '../replica/index.js';
import { InProcessCluster } from '../testing/in-process-cluster.js';
import type { BrokerHandle } from './broker-node.js';

const WAIT_MS = 15_000;
const TOPIC = 'live';
const HOUR_MS = 60 * 60 * 1000;

let cluster: InProcessCluster | null = null;

afterEach(async () => {
  await cluster?.close();
  cluster = null;
});

async function waitUntil(what: string, condition: () => boolean | Promise<boolean>): Promise<void> {
  const deadline = Date.now() + WAIT_MS;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

function logOf(broker: BrokerHandle): PartitionLog | undefined {
  const manager = broker.replicaManager;
  if (!(manager instanceof ReplicaManager)) throw new Error('the broker runs the real replica manager');
  return manager.partitionReplica(TOPIC, 0)?.log;
}

/** 10 records of ~100 bytes stamped `timestampMs` (record time decides retention.ms). */
function batchAt(timestampMs: number): Buffer {
  return encodeRecordBatch({
    records: Array.from({ length: 10 }, (_, i) => ({
      key: null,
      value: Buffer.alloc(100, 0x61 + i),
      timestampMs,
    })),
  });
}

async function produce(client: BrokerClient, records: Buffer): Promise<void> {
  const request = {
    acks: -1,
    timeoutMs: 5_000,
    topics: [{ name: TOPIC, partitions: [{ partition: 0, records }] }],
  };
  // Right after creation the followers may not have joined yet; acks=all is retriable until they do.
  for (let attempt = 0; attempt < 100; attempt++) {
    const response = await unary(client, 'Produce', request, { deadlineMs: 10_000 });
    if (response.results[0]?.errorCode === '') return;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error('produce kept failing');
}

describe('live topic configs', () => {
  it('applies segment.bytes, retention.ms and retention.bytes on every replica without restart', async () => {
    const c = await InProcessCluster.start({ name: 'trib-live-config' });
    cluster = c;
    const brokers = [await c.startBroker(1), await c.startBroker(2), await c.startBroker(3)];
    await c.waitUnfenced();
    const admin = c.admin();
    await unary(
      admin,
      'CreateTopic',
      { name: TOPIC, partitions: 1, replicationFactor: 3 },
      { deadlineMs: 5_000 },
    );
    await waitUntil('every broker to host the partition', () => brokers.every((b) => logOf(b) !== undefined));
    let leader: BrokerHandle | undefined;
    await waitUntil('a leader', () => {
      leader = brokers.find((b) => b.replicaManager.leaderPartitions().length > 0);
      return leader !== undefined;
    });
    if (leader === undefined) throw new Error('no leader');
    const client = c.brokerClient(leader);
    const alter = (set: Record<string, string>, remove: string[] = []) =>
      unary(
        admin,
        'AlterTopicConfigs',
        { name: TOPIC, set: Object.entries(set).map(([name, value]) => ({ name, value })), remove },
        { deadlineMs: 5_000 },
      );
    const everyLog = (check: (log: PartitionLog) => boolean) => () =>
      brokers.every((b) => {
        const log = logOf(b);
        return log !== undefined && check(log);
      });

    // An hour-old first segment, under the default 1 GiB segments.
    const old = Date.now() - HOUR_MS;
    for (let i = 0; i < 20; i++) await produce(client, batchAt(old));
    await waitUntil(
      'every replica to hold 200 records',
      everyLog((log) => log.logEndOffset === 200),
    );
    expect(brokers.map((b) => logOf(b)?.segmentCount)).toEqual([1, 1, 1]);

    await alter({ 'segment.bytes': '4096' });
    await waitUntil(
      'every log to take segment.bytes',
      everyLog((log) => log.currentConfig.segmentBytes === 4096),
    );
    for (let i = 0; i < 40; i++) await produce(client, batchAt(Date.now()));
    await waitUntil(
      'every replica to hold 600 records',
      everyLog((log) => log.logEndOffset === 600),
    );
    // The old segment stays as it was; the new records roll every ~4 KiB on every replica.
    for (const broker of brokers) expect(logOf(broker)?.segmentCount).toBeGreaterThanOrEqual(5);

    // retention.ms of ten minutes: the hour-old segment goes at once on every replica.
    await alter({ 'retention.ms': String(10 * 60 * 1000) });
    await waitUntil(
      'every replica to drop the old segment',
      everyLog((log) => log.logStartOffset === 200),
    );

    // retention.bytes: oldest segments go until the log would fall below the limit.
    await alter({ 'retention.bytes': '8192' });
    await waitUntil(
      'every replica to apply retention.bytes',
      everyLog((log) => log.sizeBytes < 8192 + 4096 && log.logStartOffset > 200),
    );

    // Removing a key goes back to the default.
    await alter({}, ['segment.bytes', 'retention.bytes']);
    await waitUntil(
      'every log to go back to the defaults',
      everyLog(
        (log) =>
          log.currentConfig.segmentBytes === DEFAULT_LOG_CONFIG.segmentBytes &&
          log.currentConfig.retentionBytes === DEFAULT_LOG_CONFIG.retentionBytes,
      ),
    );
    expect(brokers.map((b) => logOf(b)?.currentConfig.retentionMs)).toEqual([600_000, 600_000, 600_000]);
  });
});
