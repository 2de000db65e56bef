/** Topic config changes in a metadata image reach the open partition on every replica (hand-built images). */
import { afterEach, describe, expect, it } from 'vitest';
import { produceTo, ReplicaTestCluster, testBatch, waitUntil } from './test-cluster.js';

let cluster: ReplicaTestCluster | null = null;

afterEach(async () => {
  await cluster?.close();
  cluster = null;
});

function topicConfig(name: string, value: string | null) {
  return { type: 'Config', resourceType: 'topic', resourceName: 'live', name, value } as const;
}

describe('live topic configs on the replica side', () => {
  it('applies min.insync.replicas and log settings at once, refuses what the log refuses, restores defaults', async () => {
    const c = await ReplicaTestCluster.start([1, 2]);
    cluster = c;
    for (const id of [1, 2]) await c.startBroker(id);
    await c.createTopic('live', [1, 2], { 'segment.bytes': '1048576', 'retention.ms': '-1' });
    const logs = () => [1, 2].map((id) => c.manager(id).partitionReplica('live', 0)?.log);
    for (let i = 0; i < 10; i++) await produceTo(c.manager(1), 'live', testBatch(1, 1_000), -1);
    await waitUntil('both replicas to hold 10 records', () =>
      logs().every((log) => log?.logEndOffset === 10),
    );

    await c.publish([topicConfig('min.insync.replicas', '2'), topicConfig('segment.bytes', '2048')]);
    expect(c.manager(1).partitionReplica('live', 0)?.minInsyncReplicas).toBe(2);
    expect(logs().map((log) => log?.currentConfig.segmentBytes)).toEqual([2048, 2048]);
    for (let i = 0; i < 10; i++) await produceTo(c.manager(1), 'live', testBatch(1, 1_000), -1);
    await waitUntil('both replicas to hold 20 records', () =>
      logs().every((log) => log?.logEndOffset === 20),
    );
    for (const log of logs()) expect(log?.segmentCount).toBeGreaterThanOrEqual(5);

    // retention.bytes applies right away (not at the 30 s periodic check).
    await c.publish([topicConfig('retention.bytes', '4096')]);
    for (const log of logs()) {
      expect(log?.logStartOffset).toBeGreaterThan(0);
      expect(log?.sizeBytes).toBeGreaterThanOrEqual(4096);
      expect(log?.sizeBytes).toBeLessThan(4096 + 2048);
    }

    // The controller allows segment.bytes down to 14; the log's floor is 1024: the log keeps its config.
    await c.publish([topicConfig('segment.bytes', '100')]);
    expect(logs().map((log) => log?.currentConfig.segmentBytes)).toEqual([2048, 2048]);

    await c.publish([topicConfig('segment.bytes', null), topicConfig('min.insync.replicas', null)]);
    expect(logs().map((log) => log?.currentConfig.segmentBytes)).toEqual([
      1024 * 1024 * 1024,
      1024 * 1024 * 1024,
    ]);
    // DESIGN §6's rule for two replicas.
    expect(c.manager(1).partitionReplica('live', 0)?.minInsyncReplicas).toBe(1);
  });
});
