/**
 * Loading a coordinator shard: replays its __consumer_offsets partition from the log start to the log
 * end into the shard's offset store. Records that are not offset commits (other key versions) are
 * skipped; a corrupt record fails the load (the shell retries), never the process. The topic is
 * compacted, so offsets have gaps (a read continues at the next batch there is) and a tombstone may
 * delete an offset whose commit the cleaner already removed (the store ignores it).
 *
 * Transactions (KIP-98), as Kafka's GroupMetadataManager loads them: a transactional batch's commits stay
 * pending under its producer id until that producer's marker, which materializes them (COMMIT) or drops
 * them (ABORT); a transaction with no marker yet stays pending after the load, and the marker written
 * later completes it. The cleaner keeps transactional batches and markers as they are, so a compacted
 * log replays to the same outcome.
 */
import {
  decodeControlBatchMarker,
  decodeRecordBatch,
  type RecordBatchHeader,
  splitBatches,
} from '@tributary/records';
import type { LocalLogRead } from '../replica/replica-manager.js';
import { GROUP_LIMITS, OFFSETS_TOPIC } from './limits.js';
import { decodeOffsetKey, decodeOffsetValue, offsetKeyVersion } from './offsets-codec.js';
import type { CoordinatorShard } from './shard.js';

export type ReadLocalLog = (
  topic: string,
  partition: number,
  fromOffset: number | null,
  maxBytes: number,
) => Promise<LocalLogRead | null>;

/** Returns the number of records applied, or null when the shard closed or the partition left. */
export async function loadShard(shard: CoordinatorShard, read: ReadLocalLog): Promise<number | null> {
  let from: number | null = null;
  let applied = 0;
  // Each step reads at least one batch (or stops), so the loop ends at the log end it first saw.
  let logEndOffset = Number.POSITIVE_INFINITY;
  while (shard.state === 'loading') {
    const result = await read(OFFSETS_TOPIC, shard.partition, from, GROUP_LIMITS.loadReadBytes);
    if (result === null) return null;
    from ??= result.logStartOffset;
    logEndOffset = Math.min(logEndOffset, result.logEndOffset);
    const split = splitBatches(result.bytes);
    if (split.end.kind === 'corrupt') throw split.end.error;
    for (const header of split.batches) {
      // A read starts at the batch holding `from`: batches before it were applied by the last step.
      if (header.lastOffset < from) continue;
      applied += replayBatch(shard, header, from);
    }
    if (result.bytes.length === 0 || result.nextOffset <= from || result.nextOffset >= logEndOffset) break;
    from = result.nextOffset;
  }
  return shard.state === 'loading' ? applied : null;
}

/** Replays one batch's records at or after `from`; returns how many were applied. */
function replayBatch(shard: CoordinatorShard, header: RecordBatchHeader, from: number): number {
  if (header.isControl) {
    // A transaction marker: its one record's key says COMMIT or ABORT for the batch's producer.
    const marker = decodeControlBatchMarker(header.bytes());
    shard.offsets.completeTransaction(header.producerId, marker.marker === 'commit');
    return 1;
  }
  const producerId = header.isTransactional ? header.producerId : null;
  let applied = 0;
  for (const record of decodeRecordBatch(header.bytes()).records) {
    if (record.offset < from || record.key === null) continue;
    if (offsetKeyVersion(record.key) === null) continue;
    const key = decodeOffsetKey(record.key);
    const value = record.value === null ? null : decodeOffsetValue(record.value);
    shard.offsets.apply(key, value, { recordOffset: record.offset, producerId });
    applied++;
  }
  return applied;
}
