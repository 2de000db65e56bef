/**
 * Replication of a compacted partition whose leader's cleaner removed whole batches (issue 14): a follower
 * fetching across a removed batch is sent the next one and appends it past its log end (Kafka's rule), so
 * a wiped follower replicates the cleaned log fully and holds the same batches, gaps included; it keeps
 * them through a restart and serves them as the new leader.
 */
import { rm } from 'node:fs/promises';
import type { PartitionLog } from '@tributary/log';
import { encodeRecordBatch, RECORD_BATCH_V2_LAYOUT as V2 } from '@tributary/records';
import { afterEach, describe, expect, it } from 'vitest';
import { produceTo, ReplicaTestCluster, waitUntil } from './test-cluster.js';

const TOPIC = 'table';
const KEYS = 8;
const UPDATES = 120;
/** Cleaning runs by hand in this test: the brokers' own cleaners stay off. */
const NO_CLEANER = { logCleaner: { enable: false } };

let cluster: ReplicaTestCluster | null = null;

afterEach(async () => {
  await cluster?.close();
  cluster = null;
});

/** One update per batch, so the cleaner removes whole batches and leaves gaps (timestamps before the clock's now: old enough for min.compaction.lag.ms 0). */
function update(i: number): Buffer {
  return encodeRecordBatch({
    // Every tenth key is written once (it survives anywhere in the log), the others are updated over and over.
    records: [
      {
        key: Buffer.from(i % 10 === 0 ? `once-${i}` : `key-${i % KEYS}`),
        value: Buffer.from(`value-${i}`),
        timestampMs: i,
      },
    ],
  });
}

function logOf(c: ReplicaTestCluster, broker: number): PartitionLog {
  const log = c.manager(broker).partitionReplica(TOPIC, 0)?.log;
  if (log === undefined) throw new Error(`broker ${broker} does not host ${TOPIC}-0`);
  return log;
}

/** Every batch of the log, as bytes, from its start to its end. */
async function batchesOf(log: PartitionLog): Promise<Buffer[]> {
  const batches: Buffer[] = [];
  let offset = log.logStartOffset;
  for (let reads = 0; offset < log.logEndOffset; reads++) {
    expect(reads).toBeLessThan(10_000);
    const result = await log.read(offset, { maxBytes: 4096 });
    expect(result.nextOffset).toBeGreaterThan(offset);
    for (let at = 0; at < result.bytes.length; ) {
      const size = V2.lengthFieldEnd + result.bytes.readInt32BE(at + V2.batchLength);
      batches.push(Buffer.from(result.bytes.subarray(at, at + size)));
      at += size;
    }
    offset = result.nextOffset;
  }
  return batches;
}

function baseOffsets(batches: readonly Buffer[]): number[] {
  return batches.map((batch) => Number(batch.readBigInt64BE(V2.baseOffset)));
}

describe('replicating a cleaned compacted partition', () => {
  it('a wiped follower replicates the leader’s cleaned log fully, gaps included, and serves it as leader', async () => {
    const c = await ReplicaTestCluster.start([1, 2, 3]);
    cluster = c;
    for (const id of [1, 2, 3]) await c.startBroker(id, NO_CLEANER);
    await c.createTopic(TOPIC, [1, 2, 3], { 'cleanup.policy': 'compact', 'segment.bytes': '1024' });
    for (let i = 0; i < UPDATES; i++) {
      expect((await produceTo(c.manager(1), TOPIC, update(i))).errorCode).toBe('');
    }
    const leaderLog = logOf(c, 1);
    await waitUntil('the followers caught up', () =>
      [2, 3].every((id) => logOf(c, id).logEndOffset === UPDATES),
    );
    await waitUntil('the high watermark reached the log end', () => {
      const leader = c.manager(1).partitionReplica(TOPIC, 0);
      return leader?.highWatermark === UPDATES;
    });

    // Broker 3 loses its disk; meanwhile the leader cleans up to its high watermark.
    await c.stopBroker(3);
    await rm(c.dataDir(3), { recursive: true, force: true });
    const result = await leaderLog.clean({ nowMs: c.clock.wallMs(), upperBoundOffset: UPDATES });
    expect(result.segmentsCleaned).toBeGreaterThan(1);
    const cleaned = await batchesOf(leaderLog);
    const offsets = baseOffsets(cleaned);
    // Gaps inside the cleaned section: some offset below the active segment is in no batch.
    expect(offsets.length).toBeLessThan(UPDATES);
    expect(offsets.some((offset, i) => i > 0 && offset > (offsets[i - 1] ?? 0) + 1)).toBe(true);
    expect(offsets.filter((offset) => offset % 10 === 0)).toHaveLength(UPDATES / 10);

    // The wiped follower starts over and fetches across every gap.
    await c.startBroker(3, NO_CLEANER);
    await waitUntil('the wiped follower caught up', () => logOf(c, 3).logEndOffset === UPDATES);
    const replicated = await batchesOf(logOf(c, 3));
    expect(baseOffsets(replicated)).toEqual(offsets);
    expect(replicated.every((batch, i) => batch.equals(cleaned[i] ?? Buffer.alloc(0)))).toBe(true);
    expect(logOf(c, 3).logStartOffset).toBe(leaderLog.logStartOffset);

    // It keeps the gaps through a restart, and as leader serves the same log to the others.
    await c.stopBroker(3);
    await c.startBroker(3, NO_CLEANER);
    expect(baseOffsets(await batchesOf(logOf(c, 3)))).toEqual(offsets);
    await c.changePartition(TOPIC, { leader: 3, isr: [3, 1, 2] });
    expect((await produceTo(c.manager(3), TOPIC, update(UPDATES))).errorCode).toBe('');
    await waitUntil('the old leader follows the new one', () => logOf(c, 1).logEndOffset === UPDATES + 1);
    const onOldLeader = await batchesOf(logOf(c, 1));
    const onNewLeader = await batchesOf(logOf(c, 3));
    expect(baseOffsets(onOldLeader)).toEqual(baseOffsets(onNewLeader));
    expect(onOldLeader.every((batch, i) => batch.equals(onNewLeader[i] ?? Buffer.alloc(0)))).toBe(true);
  }, 60_000);
});
