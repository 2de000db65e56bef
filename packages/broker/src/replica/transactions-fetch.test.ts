/**
 * read_committed fetches through the replica manager (the gRPC Fetch's data plane): they stop at the last
 * stable offset and name the aborted transactions in range; read_uncommitted reads up to the high watermark.
 * The transactional batches and markers go straight into the leader's log (as the coordinator's marker
 * writes will): the client produce path does not take transactional batches yet.
 */
import type { FetchPartitionResult } from '@tributary/protocol';
import { decodeRecordBatch, encodeControlBatch, encodeRecordBatch } from '@tributary/records';
import { afterEach, describe, expect, it } from 'vitest';
import { READ_COMMITTED, READ_UNCOMMITTED } from './requests.js';
import { ReplicaTestCluster, waitUntil } from './test-cluster.js';

const TOPIC = 'txn-topic';

function batch(value: string, producerId = -1, sequence = -1, transactional = false): Buffer {
  return encodeRecordBatch({
    ...(producerId >= 0 ? { producerId, producerEpoch: 0, baseSequence: sequence } : {}),
    isTransactional: transactional,
    records: [{ key: null, value: Buffer.from(value), timestampMs: 1_000 }],
  });
}

function marker(producerId: number, kind: 'commit' | 'abort'): Buffer {
  return encodeControlBatch({
    producerId,
    producerEpoch: 0,
    marker: kind,
    coordinatorEpoch: 0,
    timestampMs: 1_000,
  });
}

function fetchRequest(isolationLevel: number) {
  return {
    maxWaitMs: 0,
    minBytes: 1,
    maxBytes: 1024 * 1024,
    isolationLevel,
    topics: [
      {
        name: TOPIC,
        partitions: [
          { partition: 0, fetchOffset: 0, partitionMaxBytes: 1024 * 1024, currentLeaderEpoch: -1 },
        ],
      },
    ],
  };
}

function values(result: FetchPartitionResult | undefined): string[] {
  const out: string[] = [];
  let bytes = Buffer.from(result?.records ?? Buffer.alloc(0));
  while (bytes.length > 0) {
    const size = 12 + bytes.readInt32BE(8);
    const decoded = decodeRecordBatch(bytes.subarray(0, size));
    if (!decoded.isControl)
      for (const record of decoded.records) out.push(Buffer.from(record.value ?? []).toString());
    bytes = bytes.subarray(size);
  }
  return out;
}

let cluster: ReplicaTestCluster | null = null;
afterEach(async () => {
  await cluster?.close();
  cluster = null;
});

describe('read_committed fetch', () => {
  it('stops at the last stable offset and returns the aborted transactions in range', async () => {
    cluster = await ReplicaTestCluster.start([1]);
    await cluster.startBroker(1);
    await cluster.createTopic(TOPIC, [1]);
    const manager = cluster.manager(1);
    await waitUntil('broker 1 to lead', () => manager.partitionReplica(TOPIC, 0)?.leaderState() != null);
    const partition = manager.partitionReplica(TOPIC, 0);
    if (partition === undefined) throw new Error('no partition');
    const append = async (bytes: Buffer, origin: 'client' | 'coordinator' = 'client') => {
      const result = await partition.log.append(bytes, { leaderEpoch: 0, assignOffsets: true, origin });
      partition.onLeaderAppend(result.logEndOffset);
    };
    await append(batch('plain-0')); // 0
    await append(batch('aborted-1', 7, 0, true)); // 1: producer 7 opens
    await append(batch('committed-2', 8, 0, true)); // 2: producer 8 opens
    await append(marker(7, 'abort'), 'coordinator'); // 3
    await append(marker(8, 'commit'), 'coordinator'); // 4
    await append(batch('open-5', 9, 0, true)); // 5: producer 9 opens and stays open
    await append(batch('plain-6')); // 6
    expect(partition.highWatermark).toBe(7);
    expect(partition.lastStableOffset).toBe(5);

    const [committed] = await manager.fetch(fetchRequest(READ_COMMITTED));
    expect(committed).toMatchObject({ errorCode: '', highWatermark: 7, lastStableOffset: 5 });
    expect(committed?.abortedTransactions).toEqual([{ producerId: 7, firstOffset: 1 }]);
    // The log returns the aborted records too; the client drops them with the list above.
    expect(values(committed)).toEqual(['plain-0', 'aborted-1', 'committed-2']);

    const [uncommitted] = await manager.fetch(fetchRequest(READ_UNCOMMITTED));
    expect(uncommitted).toMatchObject({
      errorCode: '',
      highWatermark: 7,
      lastStableOffset: 5,
      abortedTransactions: [],
    });
    expect(values(uncommitted)).toEqual(['plain-0', 'aborted-1', 'committed-2', 'open-5', 'plain-6']);

    const latest = async (isolationLevel: number) =>
      (
        await manager.listOffsets({
          isolationLevel,
          topics: [{ name: TOPIC, partitions: [{ partition: 0, timestamp: -1 }] }],
        })
      )[0]?.offset;
    expect(await latest(READ_COMMITTED)).toBe(5);
    expect(await latest(READ_UNCOMMITTED)).toBe(7);

    await append(marker(9, 'commit'), 'coordinator');
    expect(partition.lastStableOffset).toBe(8);
    const [after] = await manager.fetch(fetchRequest(READ_COMMITTED));
    expect(values(after)).toEqual(['plain-0', 'aborted-1', 'committed-2', 'open-5', 'plain-6']);
  });
});
