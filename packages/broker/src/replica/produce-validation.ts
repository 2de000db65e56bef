/**
 * What the leader checks in a client's record batches before appending them, beyond what the log
 * checks (lengths, magic, CRC). Found by the gRPC fuzz suite: a batch whose CRC was recomputed after
 * changing its header was accepted with a record count that does not match its offsets (a
 * lastOffsetDelta of 2^31 - 1 burned two billion offsets for one record), an unknown compression
 * codec (no consumer could decode it), or the control and transactional flags (which only the broker
 * itself may write, and transactions are not supported). Kafka's LogValidator refuses the same.
 */
import { TributaryError } from '@tributary/core';
import { type DecodedRecord, decodeRecordBatch, isRecordBatchError, splitBatches } from '@tributary/records';

function corrupt(message: string): TributaryError {
  return new TributaryError('CORRUPT_MESSAGE', message);
}

/**
 * Throws CORRUPT_MESSAGE naming the first batch of `records` a producer may not write. Reads headers
 * only: the log verifies every CRC on append, so it is not computed twice on the produce path.
 */
export function checkProducerBatches(records: Buffer): void {
  const split = splitBatches(records, { verifyCrc: false });
  if (split.end.kind === 'torn-tail') {
    throw corrupt(`the batch at byte ${split.end.position} is cut short`);
  }
  if (split.end.kind === 'corrupt') {
    throw corrupt(`the batch at byte ${split.end.position} is corrupt: ${split.end.error.message}`);
  }
  for (const header of split.batches) {
    const where = `the batch at byte ${header.position}`;
    if (header.compression === undefined) {
      throw corrupt(`${where} names compression codec ${header.attributes & 0x07}, which does not exist`);
    }
    if (header.recordCount < 1) throw corrupt(`${where} has recordCount ${header.recordCount}`);
    if (header.lastOffsetDelta !== header.recordCount - 1) {
      throw corrupt(
        `${where} has lastOffsetDelta ${header.lastOffsetDelta} but ${header.recordCount} records; ` +
          'a producer batch covers exactly recordCount offsets',
      );
    }
    if (header.isControl) throw corrupt(`${where} is a control batch; clients may not write those`);
    if (header.isTransactional) {
      throw corrupt(`${where} is transactional; transactions are not supported`);
    }
  }
}

/**
 * Kafka's LogValidator rule for topics whose cleanup.policy includes compact: every record needs a key,
 * since compaction keeps the last record per key and a keyless one would have no key to be kept under
 * (Kafka answers INVALID_RECORD, "Compacted topic cannot accept message without key"). This decodes the
 * records (decompressing them), which the produce path otherwise never does, so only compacted topics pay.
 */
export function checkRecordsHaveKeys(records: Buffer): void {
  const split = splitBatches(records, { verifyCrc: false });
  for (const header of split.batches) {
    for (const record of decodedRecords(header.bytes(), header.position)) {
      if (record.key === null) {
        throw new TributaryError(
          'INVALID_RECORD',
          `the record at offset delta ${record.offsetDelta} has no key; a compacted topic cannot accept a record without a key`,
        );
      }
    }
  }
}

function decodedRecords(batch: Uint8Array, position: number): readonly DecodedRecord[] {
  try {
    return decodeRecordBatch(batch).records;
  } catch (error) {
    // The CRC is checked only by the log's append, after this: a mangled payload is the producer's fault.
    if (isRecordBatchError(error))
      throw corrupt(`the batch at byte ${position} is corrupt: ${error.message}`);
    throw error;
  }
}
