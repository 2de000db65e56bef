import { encodeRecordBatch } from '@tributary/records';
import { describe, expect, it } from 'vitest';
import type { LocalLogRead } from '../replica/replica-manager.js';
import { TRANSACTION_STATE_TOPIC } from './limits.js';
import { TxnCoordinatorShard } from './txn-coordinator-core.js';
import { loadTxnShard } from './txn-loader.js';
import { encodeTxnLogKey, encodeTxnLogValue, type TxnLogValue } from './txn-log-codec.js';

const ONGOING: TxnLogValue = {
  producerId: 5,
  producerEpoch: 2,
  transactionTimeoutMs: 60_000,
  transactionStatus: 1,
  transactionPartitions: [{ topic: 't', partitionIds: [0, 1] }],
  transactionLastUpdateTimestampMs: 10,
  transactionStartTimestampMs: 10,
};

function batch(baseOffset: number, records: [Buffer, Buffer | null][]): Buffer {
  return encodeRecordBatch({
    baseOffset,
    records: records.map(([key, value]) => ({ key, value, timestampMs: 1 })),
  });
}

/** The log as batches; each read returns the batches from the one holding `from`, at most `perRead`. */
function logOf(batches: { baseOffset: number; count: number; bytes: Buffer }[], perRead: number) {
  const logEndOffset = batches.reduce((end, b) => Math.max(end, b.baseOffset + b.count), 0);
  const reads: (number | null)[] = [];
  const read = async (topic: string, _partition: number, from: number | null): Promise<LocalLogRead> => {
    expect(topic).toBe(TRANSACTION_STATE_TOPIC);
    reads.push(from);
    const start = batches.findIndex((b) => b.baseOffset + b.count > (from ?? 0));
    const chosen = start < 0 ? [] : batches.slice(start, start + perRead);
    const last = chosen.at(-1);
    return {
      bytes: Buffer.concat(chosen.map((b) => b.bytes)),
      nextOffset: last === undefined ? logEndOffset : last.baseOffset + last.count,
      logStartOffset: 0,
      logEndOffset,
    };
  };
  return { read, reads };
}

function shard(): TxnCoordinatorShard {
  return new TxnCoordinatorShard({
    partition: 0,
    coordinatorEpoch: 3,
    offsetsPartitionFor: () => ({ topic: '__consumer_offsets', partition: 0 }),
    config: { stateTopicPartitions: 1 },
  });
}

describe('loadTxnShard', () => {
  for (const perRead of [1, 10]) {
    it(`replays the partition (${perRead} batch(es) per read); the last record per id wins`, async () => {
      const prepared = { ...ONGOING, transactionStatus: 2 };
      const batches = [
        {
          baseOffset: 0,
          count: 2,
          bytes: batch(0, [
            [encodeTxnLogKey('a'), encodeTxnLogValue(ONGOING)],
            [encodeTxnLogKey('gone'), encodeTxnLogValue(ONGOING)],
          ]),
        },
        // Another key version (a future record type) is skipped.
        {
          baseOffset: 2,
          count: 1,
          bytes: batch(2, [[Buffer.from('00050001', 'hex'), Buffer.from('ff', 'hex')]]),
        },
        {
          baseOffset: 3,
          count: 2,
          bytes: batch(3, [
            [encodeTxnLogKey('a'), encodeTxnLogValue(prepared)],
            [encodeTxnLogKey('gone'), null],
          ]),
        },
      ];
      const { read, reads } = logOf(batches, perRead);
      const loading = shard();
      expect(await loadTxnShard(loading, read)).toBe(4);
      expect(reads[0]).toBeNull();
      const effects = loading.completeLoad(100);
      expect(loading.transactionalIds()).toEqual(['a']);
      expect(loading.metadata('a')?.state).toBe('PrepareCommit');
      expect(effects).toMatchObject([
        { kind: 'write-markers', marker: 'commit', producerEpoch: 2, coordinatorEpoch: 3 },
      ]);
    });
  }

  it('fails on a corrupt record and stops when the partition leaves', async () => {
    const bad = [
      { baseOffset: 0, count: 1, bytes: batch(0, [[encodeTxnLogKey('a'), Buffer.from('0000', 'hex')]]) },
    ];
    await expect(loadTxnShard(shard(), logOf(bad, 1).read)).rejects.toMatchObject({
      code: 'CORRUPT_MESSAGE',
    });
    expect(await loadTxnShard(shard(), async () => null)).toBeNull();
  });
});
