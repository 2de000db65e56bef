/**
 * DeleteRecords through the replica manager over real replication (ReplicaTestCluster): the leader moves its
 * log start and answers once the in-sync followers have moved theirs; nothing below it is served, by the
 * leader or a later one; an empty replica added afterwards starts inside the leader's first batch.
 */
import type { DeleteRecordsPartitionResult__Output } from '@tributary/protocol';
import { afterEach, describe, expect, it } from 'vitest';
import type { ReplicaManager } from './replica-manager.js';
import { produceTo, ReplicaTestCluster, testBatch, waitUntil } from './test-cluster.js';

const TOPIC = 'trimmed';

let cluster: ReplicaTestCluster | null = null;

afterEach(async () => {
  await cluster?.close();
  cluster = null;
});

async function started(ids: readonly number[], replicas: readonly number[]): Promise<ReplicaTestCluster> {
  const c = await ReplicaTestCluster.start(ids);
  cluster = c;
  for (const id of ids) await c.startBroker(id);
  await c.createTopic(TOPIC, replicas);
  return c;
}

/** Four acknowledged batches of 5 records: offsets 0..19, batches starting at 0, 5, 10, 15. */
async function produceFourBatches(c: ReplicaTestCluster): Promise<void> {
  for (let i = 0; i < 4; i++) {
    expect((await produceTo(c.manager(1), TOPIC, testBatch(5, 10), -1)).errorCode).toBe('');
  }
}

async function deleteRecords(
  manager: ReplicaManager,
  offset: number,
  timeoutMs = 10_000,
  topic = TOPIC,
): Promise<DeleteRecordsPartitionResult__Output> {
  const [result] = await manager.deleteRecords({
    timeoutMs,
    topics: [{ name: topic, partitions: [{ partition: 0, offset }] }],
  });
  if (result === undefined) throw new Error('DeleteRecords answered no partition');
  return result;
}

function logStart(c: ReplicaTestCluster, broker: number): number {
  return c.manager(broker).partitionReplica(TOPIC, 0)?.log.logStartOffset ?? -1;
}

async function fetchAt(manager: ReplicaManager, fetchOffset: number) {
  const [result] = await manager.fetch({
    maxWaitMs: 0,
    minBytes: 1,
    maxBytes: 1 << 20,
    topics: [
      {
        name: TOPIC,
        partitions: [{ partition: 0, fetchOffset, partitionMaxBytes: 1 << 20, currentLeaderEpoch: -1 }],
      },
    ],
  });
  return result;
}

async function earliest(manager: ReplicaManager): Promise<number> {
  const [result] = await manager.listOffsets({
    topics: [{ name: TOPIC, partitions: [{ partition: 0, timestamp: -2 }] }],
  });
  return Number(result?.offset ?? -1);
}

describe('DeleteRecords on the replica manager', () => {
  it('moves every in-sync replica before answering; reads below are out of range, here and after failover', async () => {
    const c = await started([1, 2, 3], [1, 2, 3]);
    await produceFourBatches(c);

    const result = await deleteRecords(c.manager(1), 7);
    expect(result).toMatchObject({ errorCode: '', lowWatermark: 7, leaderId: 1, leaderEpoch: 0 });
    // Answered only once the ISR had moved: no waiting here.
    expect([logStart(c, 1), logStart(c, 2), logStart(c, 3)]).toEqual([7, 7, 7]);

    expect((await fetchAt(c.manager(1), 6))?.errorCode).toBe('OFFSET_OUT_OF_RANGE');
    const from7 = await fetchAt(c.manager(1), 7);
    expect(from7).toMatchObject({ errorCode: '', logStartOffset: 7, highWatermark: 20 });
    // Whole batches: the one holding offset 7 starts at 5 (clients skip the records below their offset).
    expect(Buffer.from(from7?.records ?? Buffer.alloc(8)).readBigInt64BE(0)).toBe(5n);
    expect(await earliest(c.manager(1))).toBe(7);

    // A new leader from the ISR serves from the same start.
    await c.changePartition(TOPIC, { leader: 2 });
    expect((await fetchAt(c.manager(2), 6))?.errorCode).toBe('OFFSET_OUT_OF_RANGE');
    expect(await earliest(c.manager(2))).toBe(7);
    // -1 deletes up to the high watermark, which is everything consumers can see.
    expect(await deleteRecords(c.manager(2), -1)).toMatchObject({ errorCode: '', lowWatermark: 20 });
    await waitUntil('every replica to start at 20', () => [1, 2, 3].every((id) => logStart(c, id) === 20));
  });

  it('keeps the log start across a follower restart and refuses what it must', async () => {
    const c = await started([1, 2], [1, 2]);
    await produceFourBatches(c);
    expect((await deleteRecords(c.manager(1), 12)).errorCode).toBe('');
    await c.stopBroker(2);
    await c.startBroker(2);
    expect(logStart(c, 2)).toBe(12);

    expect(await deleteRecords(c.manager(1), 21)).toMatchObject({
      errorCode: 'OFFSET_OUT_OF_RANGE',
      lowWatermark: -1,
    });
    expect(await deleteRecords(c.manager(1), -2)).toMatchObject({ errorCode: 'OFFSET_OUT_OF_RANGE' });
    expect(await deleteRecords(c.manager(2), 15)).toMatchObject({ errorCode: 'NOT_LEADER', leaderId: 1 });
    expect((await deleteRecords(c.manager(1), 3, 1_000, 'nope')).errorCode).toBe(
      'UNKNOWN_TOPIC_OR_PARTITION',
    );
    // At or below the current start: nothing moves, the answer is the current start.
    expect(await deleteRecords(c.manager(1), 3)).toMatchObject({ errorCode: '', lowWatermark: 12 });
  });

  it('answers REQUEST_TIMED_OUT when an in-sync follower does not report in time; the leader moved anyway', async () => {
    const c = await started([1, 2], [1, 2]);
    await produceFourBatches(c);
    await c.stopBroker(2); // still in the ISR: the leader shrinks it only after replica.lag.time.max.ms
    const result = await deleteRecords(c.manager(1), 10, 300);
    expect(result).toMatchObject({ errorCode: 'REQUEST_TIMED_OUT', lowWatermark: -1 });
    expect(logStart(c, 1)).toBe(10);
    // The follower takes the start when it is back; a retry then succeeds.
    await c.startBroker(2);
    expect(await deleteRecords(c.manager(1), 10)).toMatchObject({ errorCode: '', lowWatermark: 10 });
    expect(logStart(c, 2)).toBe(10);
  });

  it('an empty replica added later starts inside the leader first batch and converges', async () => {
    const c = await started([1, 2, 3], [1, 2]);
    await produceFourBatches(c);
    expect((await deleteRecords(c.manager(1), 7)).errorCode).toBe('');

    await c.changePartition(TOPIC, { replicas: [1, 2, 3], addingReplicas: [3] });
    const added = c.manager(3).partitionReplica(TOPIC, 0);
    // Out of range at 0, it starts over at the leader's start (7), is sent the batch 5..9, restarts at 5.
    await waitUntil('broker 3 to copy the log', () => added?.log.logEndOffset === 20);
    expect(added?.log.logStartOffset).toBe(7);
    await expect(added?.log.read(6, { maxBytes: 1 })).rejects.toMatchObject({ code: 'OFFSET_OUT_OF_RANGE' });
    const leaderBytes = (
      await c
        .manager(1)
        .partitionReplica(TOPIC, 0)
        ?.log.read(7, { maxBytes: 1 << 20 })
    )?.bytes;
    const copiedBytes = (await added?.log.read(7, { maxBytes: 1 << 20 }))?.bytes;
    expect(copiedBytes?.equals(leaderBytes ?? Buffer.alloc(0))).toBe(true);
  });
});
