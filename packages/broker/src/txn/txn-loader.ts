/**
 * Loading a transaction coordinator shard: replays its __transaction_state partition from the log start to
 * the log end (TxnCoordinatorShard.replay), as Kafka's loadTransactionsForTxnTopicPartition does; the shell
 * then calls completeLoad, which resumes the markers of prepared transactions. Records with another key
 * version and control batches are skipped; a corrupt record fails the load (the shell retries), never the
 * process.
 */
import { decodeRecordBatch, splitBatches } from '@tributary/records';
import { GROUP_LIMITS } from '../group/limits.js';
import type { ReadLocalLog } from '../group/loader.js';
import { TRANSACTION_STATE_TOPIC } from './limits.js';
import type { TxnCoordinatorShard } from './txn-coordinator-core.js';
import { decodeTxnStateRecord, txnLogKeyVersion } from './txn-log-codec.js';

/** Returns the number of records replayed, or null when the shard closed or the partition left. */
export async function loadTxnShard(shard: TxnCoordinatorShard, read: ReadLocalLog): Promise<number | null> {
  let from: number | null = null;
  let applied = 0;
  // Each step reads at least one batch (or stops), so the loop ends at the log end it first saw.
  let logEndOffset = Number.POSITIVE_INFINITY;
  while (shard.state === 'loading') {
    const result = await read(TRANSACTION_STATE_TOPIC, shard.partition, from, GROUP_LIMITS.loadReadBytes);
    if (result === null) return null;
    from ??= result.logStartOffset;
    logEndOffset = Math.min(logEndOffset, result.logEndOffset);
    const split = splitBatches(result.bytes);
    if (split.end.kind === 'corrupt') throw split.end.error;
    for (const header of split.batches) {
      const batch = decodeRecordBatch(header.bytes());
      if (batch.isControl) continue;
      for (const record of batch.records) {
        // A read starts at the batch holding `from`: records before it were replayed by the last step.
        if (record.offset < from || record.key === null) continue;
        if (txnLogKeyVersion(record.key) === null) continue;
        shard.replay(decodeTxnStateRecord(record.key, record.value));
        applied++;
      }
    }
    if (result.bytes.length === 0 || result.nextOffset <= from || result.nextOffset >= logEndOffset) break;
    from = result.nextOffset;
  }
  return shard.state === 'loading' ? applied : null;
}
