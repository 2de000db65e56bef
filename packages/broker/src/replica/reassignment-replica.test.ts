/**
 * What a partition reassignment needs from the replica manager, driven by hand-built metadata images (the
 * controller's half decides when each change is made): an added replica creates the partition and copies
 * it from offset 0, the leader adds it to the ISR once it is caught up, a removed replica stops and deletes
 * its directory, and leadership moves to the new replica while producers keep writing.
 */
import { access } from 'node:fs/promises';
import { join } from 'node:path';
import { brokerId } from '@tributary/core';
import { afterEach, describe, expect, it } from 'vitest';
import { produceTo, ReplicaTestCluster, testBatch, waitUntil } from './test-cluster.js';

let cluster: ReplicaTestCluster | null = null;

afterEach(async () => {
  await cluster?.close();
  cluster = null;
});

function logEnd(c: ReplicaTestCluster, broker: number): number {
  return c.manager(broker).partitionReplica('moving', 0)?.log.logEndOffset ?? -1;
}

async function exists(path: string): Promise<boolean> {
  return access(path).then(
    () => true,
    () => false,
  );
}

describe('reassignment on the replica side', () => {
  it('adds a replica from offset 0, expands the ISR, removes the old one and moves leadership under load', async () => {
    const c = await ReplicaTestCluster.start([1, 2, 3]);
    cluster = c;
    for (const id of [1, 2, 3]) await c.startBroker(id);
    await c.createTopic('moving', [1, 2]);
    for (let i = 0; i < 20; i++) {
      expect((await produceTo(c.manager(1), 'moving', testBatch(1, 100), -1)).errorCode).toBe('');
    }
    expect(c.manager(3).partitionReplica('moving', 0)).toBeUndefined();

    // Move [1, 2] -> [1, 3]: broker 3 is added, broker 2 will be removed.
    await c.changePartition('moving', { replicas: [1, 2, 3], addingReplicas: [3], removingReplicas: [2] });
    const added = c.manager(3).partitionReplica('moving', 0);
    expect(added?.log.logStartOffset).toBe(0);
    expect(await exists(join(c.dataDir(3), 'moving-0'))).toBe(true);
    await waitUntil('broker 3 to copy the log', () => logEnd(c, 3) === 20);
    await waitUntil('the leader to add broker 3 to the ISR', () =>
      c.state('moving').isr.includes(brokerId(3)),
    );
    expect(c.alterCalls.flat().some((item) => item.newIsr?.includes(3))).toBe(true);

    // The controller completes the move: broker 2 leaves the replicas and deletes its copy.
    await c.changePartition('moving', {
      replicas: [1, 3],
      isr: [1, 3],
      addingReplicas: [],
      removingReplicas: [],
    });
    expect(c.manager(2).partitionReplica('moving', 0)).toBeUndefined();
    expect(await exists(join(c.dataDir(2), 'moving-0'))).toBe(false);

    // Leadership moves to broker 3 (a new leader epoch) while a producer keeps writing with acks=all.
    const acked: number[] = [];
    let stop = false;
    const producer = (async () => {
      for (let attempt = 0; attempt < 2_000 && !stop; attempt++) {
        const leader = c.state('moving').leader;
        const result = await produceTo(c.manager(leader), 'moving', testBatch(1, 100), -1);
        if (result.errorCode === '') acked.push(result.baseOffset);
        else await new Promise((resolve) => setTimeout(resolve, 5));
      }
    })();
    await waitUntil('some writes before the move', () => acked.length >= 5);
    await c.changePartition('moving', { leader: 3 });
    expect(c.manager(3).leaderPartitions()).toEqual([{ topic: 'moving', partition: 0 }]);
    const countAtMove = acked.length;
    await waitUntil('writes acknowledged by the new leader', () => acked.length >= countAtMove + 10);
    stop = true;
    await producer;

    // Every acknowledged write is below the new leader's high watermark, and broker 1 follows it.
    const newLeader = c.manager(3).partitionReplica('moving', 0);
    const lastAcked = Math.max(...acked);
    expect(newLeader?.highWatermark ?? 0).toBeGreaterThan(lastAcked);
    expect(new Set(acked).size).toBe(acked.length);
    await waitUntil('broker 1 to follow the new leader', () => logEnd(c, 1) === logEnd(c, 3));
    expect(c.manager(1).partitionReplica('moving', 0)?.role.kind).toBe('follower');
  });
});
