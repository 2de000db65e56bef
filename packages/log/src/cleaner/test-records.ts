import { type CompressionCodec, decodeRecordBatch, encodeRecordBatch } from '@tributary/records';
import type { PartitionLog } from '../partition-log.js';
import { splitBatches } from '../test-batches.js';

/**
 * Keyed record batches for the cleaner's tests, and a reader that turns a log back into records. Keys and
 * values are short strings; a null value is a tombstone, a null key a keyless record.
 */
export interface TestRecord {
  readonly key: string | null;
  readonly value: string | null;
}

export interface KeyedBatchSpec {
  readonly records: readonly TestRecord[];
  readonly timestampMs: number;
  readonly compression?: CompressionCodec;
  readonly producerId?: number;
  readonly producerEpoch?: number;
  readonly baseSequence?: number;
  readonly isTransactional?: boolean;
}

export function keyedBatch(spec: KeyedBatchSpec): Buffer {
  return encodeRecordBatch({
    compression: spec.compression ?? 'none',
    producerId: spec.producerId,
    producerEpoch: spec.producerEpoch,
    baseSequence: spec.baseSequence,
    isTransactional: spec.isTransactional,
    records: spec.records.map((record) => ({
      key: record.key === null ? null : Buffer.from(record.key),
      value: record.value === null ? null : Buffer.from(record.value),
      timestampMs: spec.timestampMs,
    })),
  });
}

/** A record read back from the log, with its offset. */
export interface ReadRecord extends TestRecord {
  readonly offset: number;
}

/** Every record from the log start to the log end, in offset order (batch by batch, whole log). */
export async function readAllRecords(
  log: PartitionLog,
  fromOffset = log.logStartOffset,
): Promise<ReadRecord[]> {
  const records: ReadRecord[] = [];
  let next = fromOffset;
  while (next < log.logEndOffset) {
    const part = await log.read(next, { maxBytes: 1024 * 1024 });
    if (part.bytes.length === 0) break;
    for (const batch of splitBatches(part.bytes)) {
      for (const record of decodeRecordBatch(batch).records) {
        if (record.offset < fromOffset) continue;
        records.push({
          offset: record.offset,
          key: record.key === null ? null : Buffer.from(record.key).toString(),
          value: record.value === null ? null : Buffer.from(record.value).toString(),
        });
      }
    }
    next = part.nextOffset;
  }
  return records;
}
