/**
 * The replication throttle end to end over real gRPC: a replica being moved to broker 3 fetches no faster
 * than `replication.throttled.rate` allows (bytes are checked against the bucket's bound on the test's
 * ManualClock, never against wall time), while broker 2, an in-sync follower of the same leader, keeps up.
 */
import { brokerId } from '@tributary/core';
import { REPLICATION_THROTTLE_CONFIG } from '@tributary/metadata';
import { afterEach, describe, expect, it } from 'vitest';
import { THROTTLE_LIMITS } from './replication-throttle.js';
import { produceTo, ReplicaTestCluster, testBatch, waitUntil } from './test-cluster.js';

let cluster: ReplicaTestCluster | null = null;

afterEach(async () => {
  await cluster?.close();
  cluster = null;
});

const BATCH = testBatch(10, 1_000);
const RATE_BYTES_PER_SEC = 1_000;

function logEnd(c: ReplicaTestCluster, broker: number, topic: string): number {
  return c.manager(broker).partitionReplica(topic, 0)?.log.logEndOffset ?? -1;
}

function logBytes(c: ReplicaTestCluster, broker: number, topic: string): number {
  return c.manager(broker).partitionReplica(topic, 0)?.log.sizeBytes ?? 0;
}

describe('replication throttle', () => {
  it('limits an adding replica to the rate while an in-sync follower of the same leader keeps up', async () => {
    const c = await ReplicaTestCluster.start([1, 2, 3]);
    cluster = c;
    for (const id of [1, 2, 3]) await c.startBroker(id);
    await c.createTopic('hot', [1, 2]);
    await c.createTopic('moving', [1, 2]);
    for (let i = 0; i < 40; i++) {
      expect((await produceTo(c.manager(1), 'hot', BATCH)).errorCode).toBe('');
      expect((await produceTo(c.manager(1), 'moving', BATCH)).errorCode).toBe('');
    }
    await waitUntil(
      'broker 2 to catch up',
      () => logEnd(c, 2, 'hot') === 400 && logEnd(c, 2, 'moving') === 400,
    );

    await c.setClusterConfig(REPLICATION_THROTTLE_CONFIG, String(RATE_BYTES_PER_SEC));
    await c.changePartition('moving', { replicas: [1, 2, 3], addingReplicas: [3], removingReplicas: [2] });
    const throttle = () => c.manager(3).replicationThrottleStats();
    expect(throttle().rateBytesPerSec).toBe(RATE_BYTES_PER_SEC);
    // The bucket starts with one burst; once it is spent the fetcher waits (the clock is not moving).
    await waitUntil('the adding replica to wait for the bucket', () => throttle().throttledWaitsTotal >= 2);
    const burst = THROTTLE_LIMITS.burstBytesMin;
    expect(throttle().throttledBytesTotal).toBeGreaterThan(0);
    expect(throttle().throttledBytesTotal).toBeLessThanOrEqual(burst + BATCH.length);
    expect(logBytes(c, 3, 'moving')).toBe(throttle().throttledBytesTotal);
    expect(logEnd(c, 3, 'moving')).toBeLessThan(400);

    // Meanwhile the in-sync follower on the same leader is not throttled, on either partition.
    for (let i = 0; i < 20; i++) {
      await produceTo(c.manager(1), 'hot', BATCH);
      await produceTo(c.manager(1), 'moving', BATCH);
    }
    await waitUntil(
      'broker 2 to keep up',
      () => logEnd(c, 2, 'hot') === 600 && logEnd(c, 2, 'moving') === 600,
    );
    expect(c.manager(2).replicationThrottleStats().throttledBytesTotal).toBe(0);
    expect(logBytes(c, 3, 'moving')).toBeLessThanOrEqual(burst + BATCH.length);

    // The leader reports the mover's progress: behind, out of the ISR, never caught up.
    const [described] = c.manager(1).describeReplicas([{ topic: 'moving', partition: 0 }]);
    const mover = described?.replicas?.find((replica) => replica.brokerId === 3);
    expect(mover?.inIsr).toBe(false);
    expect(mover?.caughtUpMsAgo).toBe(-1);
    expect(Number(mover?.logEndOffset)).toBeLessThan(600);

    // Ten seconds of the rate: at most 10_000 more bytes (plus one whole batch past the grant).
    const before = throttle().throttledBytesTotal;
    const waitsBefore = throttle().throttledWaitsTotal;
    c.clock.advance(10_000);
    await waitUntil('the bucket to be spent again', () => throttle().throttledWaitsTotal >= waitsBefore + 2);
    const gained = throttle().throttledBytesTotal - before;
    expect(gained).toBeGreaterThan(0);
    expect(gained).toBeLessThanOrEqual((RATE_BYTES_PER_SEC * 10_000) / 1000 + BATCH.length);

    // Removing the config lifts the throttle: the replica catches up and the leader adds it to the ISR.
    await c.setClusterConfig(REPLICATION_THROTTLE_CONFIG, null);
    expect(throttle().rateBytesPerSec).toBeNull();
    await waitUntil('the adding replica to catch up', () => logEnd(c, 3, 'moving') === 600);
    await waitUntil('the ISR to take the adding replica', () => c.state('moving').isr.includes(brokerId(3)));
    expect(c.state('moving').isr).toEqual([1, 2, 3]);
  });

  it('changes the rate live', async () => {
    const c = await ReplicaTestCluster.start([1, 2]);
    cluster = c;
    for (const id of [1, 2]) await c.startBroker(id);
    await c.createTopic('moving', [1]);
    for (let i = 0; i < 30; i++) await produceTo(c.manager(1), 'moving', BATCH);
    await c.setClusterConfig(REPLICATION_THROTTLE_CONFIG, '100');
    await c.changePartition('moving', { replicas: [1, 2], addingReplicas: [2] });
    const throttle = () => c.manager(2).replicationThrottleStats();
    await waitUntil('the adding replica to wait for the bucket', () => throttle().throttledWaitsTotal >= 1);
    await c.setClusterConfig(REPLICATION_THROTTLE_CONFIG, String(1024 * 1024));
    expect(throttle().rateBytesPerSec).toBe(1024 * 1024);
    c.clock.advance(1_000);
    await waitUntil('the adding replica to catch up at the new rate', () => logEnd(c, 2, 'moving') === 300);
  });
});
