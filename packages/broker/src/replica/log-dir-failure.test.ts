/**
 * Kafka's log-dir failure on the broker side: a write error in one of a broker's log directories takes that
 * directory offline (its partitions stop leading and following, clients get the retriable STORAGE_ERROR,
 * nothing unwritten is acknowledged), the broker keeps serving its other directory, reports the partitions
 * until the metadata has moved them, and after a restart without the fault recovers the directory and
 * catches up. Real logs on disk; the fault comes from the log's test-only storage hook.
 */
import { join } from 'node:path';
import { brokerId } from '@tributary/core';
import { setStorageFaultHook } from '@tributary/log';
import { afterEach, describe, expect, it } from 'vitest';
import { produceTo, ReplicaTestCluster, testBatch, waitUntil } from './test-cluster.js';

let cluster: ReplicaTestCluster | null = null;

afterEach(async () => {
  setStorageFaultHook(null);
  await cluster?.close();
  cluster = null;
});

/** Fails every segment write under `dir` with `code`, as a full or failing disk would. */
function failWritesUnder(dir: string, code: string): void {
  setStorageFaultHook((path, operation) => {
    if (operation === 'write' && path.startsWith(`${dir}/`)) {
      throw Object.assign(new Error(`${code}: injected, write '${path}'`), { code });
    }
  });
}

describe('log directory failure', () => {
  it('takes the failed directory offline, keeps the other serving, and recovers after a restart', async () => {
    const c = await ReplicaTestCluster.start([1, 2, 3]);
    cluster = c;
    const secondDir = join(c.root, 'broker-1-disk2');
    const offline: { logDir: string; allOffline: boolean }[] = [];
    const brokerOneConfig = {
      additionalLogDirs: [secondDir],
      onLogDirOffline: (logDir: string, allOffline: boolean) => offline.push({ logDir, allOffline }),
    };
    await c.startBroker(1, brokerOneConfig);
    await c.startBroker(2);
    await c.startBroker(3);
    // Broker 1's first directory takes the first topic, its second (now the less loaded) the next.
    await c.createTopic('first', [1, 2, 3]);
    await c.createTopic('second', [1, 2, 3]);
    const one = c.manager(1);
    expect(one.logDirStatus().map((dir) => dir.partitions)).toEqual([1, 1]);
    const acked = await produceTo(one, 'second', testBatch(5, 10), -1);
    expect(acked.errorCode).toBe('');

    failWritesUnder(secondDir, 'ENOSPC');
    const refused = await produceTo(one, 'second', testBatch(5, 10), -1);
    expect(refused.errorCode).toBe('STORAGE_ERROR');
    expect(offline).toEqual([{ logDir: secondDir, allOffline: false }]);
    expect(one.logDirStatus()[1]).toMatchObject({ path: secondDir, online: false });
    expect(one.partitionReplica('second', 0)).toBeUndefined();
    // Retriable, so clients refresh their metadata and try the new leader.
    expect((await produceTo(one, 'second', testBatch(1, 10), -1)).errorCode).toBe('STORAGE_ERROR');
    // The other directory serves on, acks=all included (its followers still fetch from broker 1).
    expect((await produceTo(one, 'first', testBatch(5, 10), -1)).errorCode).toBe('');
    // Reported until the metadata moves it: then the heartbeat carries nothing more.
    expect(one.offlinePartitionsToReport(100)).toEqual([{ topic: 'second', partition: 0 }]);
    await c.changePartition('second', { leader: 2, isr: [2, 3] });
    expect(one.offlinePartitionsToReport(100)).toEqual([]);

    // The new leader has every acknowledged record (5) and nothing of the refused write.
    const two = c.manager(2);
    await waitUntil('broker 2 leads second', () => two.partitionReplica('second', 0)?.role.kind === 'leader');
    expect(two.partitionReplica('second', 0)?.log.logEndOffset).toBe(5);
    expect((await produceTo(two, 'second', testBatch(5, 10), -1)).errorCode).toBe('');

    // The operator frees space and restarts broker 1: the directory is back, the replica catches up.
    setStorageFaultHook(null);
    await c.stopBroker(1);
    const restarted = await c.startBroker(1, brokerOneConfig);
    expect(restarted.logDirStatus().every((dir) => dir.online)).toBe(true);
    await waitUntil(
      'broker 1 catches up on second',
      () => restarted.partitionReplica('second', 0)?.log.logEndOffset === 10,
    );
    expect(restarted.logDirStatus()[1]?.partitions).toBe(1);
    // Back in the ISR once caught up (the leader proposes it; the test cluster commits it).
    await c.publish([]);
    c.manager(2).checkIsr();
    await waitUntil('broker 1 back in the ISR', () => c.state('second').isr.includes(brokerId(1)));
  });

  it('takes the directory offline for any I/O error of a write, not only the listed disk codes', async () => {
    const c = await ReplicaTestCluster.start([1]);
    cluster = c;
    const secondDir = join(c.root, 'broker-1-disk2');
    await c.startBroker(1, { additionalLogDirs: [secondDir] });
    await c.createTopic('first', [1]);
    await c.createTopic('second', [1]);
    failWritesUnder(secondDir, 'EBADF');
    expect((await produceTo(c.manager(1), 'second', testBatch(1, 10), 1)).errorCode).toBe('STORAGE_ERROR');
    expect(
      c
        .manager(1)
        .logDirStatus()
        .map((dir) => dir.online),
    ).toEqual([true, false]);
    expect((await produceTo(c.manager(1), 'first', testBatch(1, 10), 1)).errorCode).toBe('');
  });

  it('takes the directory offline when a read fails with a disk error (a fetch gets STORAGE_ERROR)', async () => {
    const c = await ReplicaTestCluster.start([1]);
    cluster = c;
    const secondDir = join(c.root, 'broker-1-disk2');
    await c.startBroker(1, { additionalLogDirs: [secondDir] });
    await c.createTopic('first', [1]);
    await c.createTopic('second', [1]);
    const one = c.manager(1);
    expect((await produceTo(one, 'second', testBatch(1, 10), 1)).errorCode).toBe('');
    setStorageFaultHook((path, operation) => {
      if (operation === 'read' && path.startsWith(`${secondDir}/`)) {
        throw Object.assign(new Error(`EIO: injected, read '${path}'`), { code: 'EIO' });
      }
    });
    const fetch = (topic: string) =>
      one.fetch({
        maxWaitMs: 0,
        minBytes: 1,
        maxBytes: 1024 * 1024,
        topics: [
          {
            name: topic,
            partitions: [
              { partition: 0, fetchOffset: 0, partitionMaxBytes: 1024 * 1024, currentLeaderEpoch: -1 },
            ],
          },
        ],
      } as Parameters<typeof one.fetch>[0]);
    expect((await fetch('second'))[0]?.errorCode).toBe('STORAGE_ERROR');
    expect(one.logDirStatus().map((dir) => dir.online)).toEqual([true, false]);
    expect((await fetch('second'))[0]?.errorCode).toBe('STORAGE_ERROR');
    expect((await fetch('first'))[0]?.errorCode).toBe('');
  });

  it('reports every directory offline when the last one fails', async () => {
    const c = await ReplicaTestCluster.start([1]);
    cluster = c;
    const offline: boolean[] = [];
    await c.startBroker(1, { onLogDirOffline: (_dir, allOffline) => offline.push(allOffline) });
    await c.createTopic('only', [1]);
    failWritesUnder(c.dataDir(1), 'EIO');
    expect((await produceTo(c.manager(1), 'only', testBatch(1, 10), 1)).errorCode).toBe('STORAGE_ERROR');
    expect(offline).toEqual([true]);
  });
});
