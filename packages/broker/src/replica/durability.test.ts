/**
 * flush.on.ack / --durability fsync (issue 16 item 2) on three in-process brokers replicating over real
 * gRPC with real logs: at the moment an acks=all write is acknowledged, every ISR member has fsynced it (its
 * log's durable end covers the write). Shown to bite: the same check fails under replication-only
 * durability, where nothing is fsynced before the ack.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { Partition } from './partition.js';
import { produceTo, ReplicaTestCluster, testBatch, waitUntil } from './test-cluster.js';

let cluster: ReplicaTestCluster | null = null;

afterEach(async () => {
  await cluster?.close();
  cluster = null;
});

async function threeBrokers(defaultFlushOnAck: boolean): Promise<ReplicaTestCluster> {
  const c = await ReplicaTestCluster.start([1, 2, 3]);
  cluster = c;
  for (const id of [1, 2, 3]) await c.startBroker(id, { defaultFlushOnAck });
  return c;
}

function replicas(c: ReplicaTestCluster, topic: string): Partition[] {
  return [1, 2, 3].map((id) => {
    const replica = c.manager(id).partitionReplica(topic, 0);
    if (replica === undefined) throw new Error(`broker ${id} hosts no ${topic}-0`);
    return replica;
  });
}

/**
 * Produces `count` acks=all batches of `recordsPerBatch` records, `inFlight` at a time, and at each ack
 * records the smallest durable end over the three replicas minus the acknowledged write's end: never
 * negative when every acknowledged record was fsynced everywhere.
 */
async function produceAndCheck(
  c: ReplicaTestCluster,
  topic: string,
  options: { count: number; inFlight: number },
): Promise<{ worstDurableMargin: number }> {
  const parts = replicas(c, topic);
  let worstDurableMargin = Number.POSITIVE_INFINITY;
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < options.count) {
      next++;
      const recordsPerBatch = 5;
      const result = await produceTo(c.manager(1), topic, testBatch(recordsPerBatch, 200), -1);
      expect(result.errorCode).toBe('');
      // Checked in the ack's own turn: nothing can have fsynced in between.
      const ackedEnd = result.baseOffset + recordsPerBatch;
      const durable = Math.min(...parts.map((part) => part.log.durableEndOffset));
      worstDurableMargin = Math.min(worstDurableMargin, durable - ackedEnd);
    }
  };
  await Promise.all(Array.from({ length: options.inFlight }, worker));
  return { worstDurableMargin };
}

describe('acks=all with flush.on.ack', () => {
  it('acknowledges only what the leader and every ISR follower fsynced (broker default --durability fsync)', async () => {
    const c = await threeBrokers(true);
    await c.createTopic('synced', [1, 2, 3]);
    expect(replicas(c, 'synced').map((part) => part.flushOnAck)).toEqual([true, true, true]);
    const { worstDurableMargin } = await produceAndCheck(c, 'synced', { count: 60, inFlight: 6 });
    expect(worstDurableMargin).toBeGreaterThanOrEqual(0);
    // Group commit: 60 writes, each replica fsynced at most once per write and in practice fewer.
    for (const part of replicas(c, 'synced')) expect(part.log.durableFlushCount).toBeLessThanOrEqual(60);
  });

  it('the topic config wins over the broker default, both ways', async () => {
    const c = await threeBrokers(false);
    await c.createTopic('on', [1, 2, 3], { 'flush.on.ack': 'true' });
    await c.createTopic('off', [1, 2, 3], { 'flush.on.ack': 'false' });
    expect(replicas(c, 'on').map((part) => part.flushOnAck)).toEqual([true, true, true]);
    expect(replicas(c, 'off').map((part) => part.flushOnAck)).toEqual([false, false, false]);
    const { worstDurableMargin } = await produceAndCheck(c, 'on', { count: 20, inFlight: 4 });
    expect(worstDurableMargin).toBeGreaterThanOrEqual(0);
  });

  it('a follower whose fsync fails stops fetching that partition only; its others keep replicating', async () => {
    const c = await threeBrokers(true);
    await c.createTopic('broken', [1, 2, 3]);
    await c.createTopic('healthy', [1, 2, 3]);
    expect((await produceTo(c.manager(1), 'broken', testBatch(1, 100), -1)).errorCode).toBe('');
    // Broker 2's fsyncs of broken-0 fail from now on (an EIO, injected at the log's group-committed fsync).
    const brokenOn2 = c.manager(2).partitionReplica('broken', 0);
    if (brokenOn2 === undefined) throw new Error('broker 2 hosts broken-0');
    brokenOn2.log.flushDurable = () => Promise.reject(new Error('EIO: injected fsync failure'));
    const leader = c.manager(1).partitionReplica('broken', 0);
    const highWatermark = leader?.highWatermark;
    expect((await produceTo(c.manager(1), 'broken', testBatch(1, 100), 1)).errorCode).toBe('');
    // Broker 2 (still in the ISR) never reports the write it could not fsync: the high watermark stays.
    const { worstDurableMargin } = await produceAndCheck(c, 'healthy', { count: 10, inFlight: 2 });
    expect(worstDurableMargin).toBeGreaterThanOrEqual(0);
    expect(leader?.highWatermark).toBe(highWatermark);
  });

  it('the check bites: replication-only durability acknowledges what no replica fsynced', async () => {
    const c = await threeBrokers(false);
    await c.createTopic('memory', [1, 2, 3]);
    const { worstDurableMargin } = await produceAndCheck(c, 'memory', { count: 20, inFlight: 4 });
    expect(worstDurableMargin).toBeLessThan(0);
  });

  it('turned on by alter-configs: later writes wait for fsyncs, the high watermark never goes back', async () => {
    const c = await threeBrokers(false);
    await c.createTopic('live', [1, 2, 3]);
    for (let i = 0; i < 5; i++) await produceTo(c.manager(1), 'live', testBatch(2, 100), -1);
    const before = replicas(c, 'live')[0]?.highWatermark ?? -1;
    expect(before).toBe(10);
    await c.publish([
      { type: 'Config', resourceType: 'topic', resourceName: 'live', name: 'flush.on.ack', value: 'true' },
    ]);
    expect(replicas(c, 'live').map((part) => part.flushOnAck)).toEqual([true, true, true]);
    // Followers fsync what they hold before their next fetch; the leader as soon as the change lands.
    await waitUntil('every replica to fsync the older writes', () =>
      replicas(c, 'live').every((part) => part.log.durableEndOffset === 10),
    );
    const { worstDurableMargin } = await produceAndCheck(c, 'live', { count: 10, inFlight: 2 });
    expect(worstDurableMargin).toBeGreaterThanOrEqual(0);
    expect(replicas(c, 'live')[0]?.highWatermark ?? -1).toBeGreaterThanOrEqual(before);
  });
});
