/**
 * Pure producer logic: which partition each record goes to, and grouping records into one batch per
 * partition. No I/O, no clock; the shell (producer.ts) encodes and sends.
 */
import { TributaryError } from '@tributary/core';
import { partitionForKey, type StickyPartitioner } from '@tributary/records';

export interface PartitionedInput {
  readonly key: Uint8Array | null;
  readonly value?: Uint8Array | null;
  readonly partition?: number | undefined;
}

/** A caller-supplied partitioner (Kafka's `partitioner.class`); must return an integer in [0, partitionCount). */
export type CustomPartitioner = (args: {
  readonly topic: string;
  readonly key: Uint8Array | null;
  readonly value: Uint8Array | null;
  readonly partitionCount: number;
}) => number;

/**
 * The partition of every record, in input order: an explicit partition as given, a key by murmur2
 * (Kafka's default partitioner), a null key to the sticky partition of this call. The caller moves the
 * sticky partition on once the batch is sent (`onNewBatch`). A `custom` partitioner replaces murmur2 and
 * sticky for records without an explicit partition; a result outside [0, numPartitions) throws
 * INVALID_PARTITIONS, so nothing of the call is sent.
 */
export function assignPartitions(
  topic: string,
  records: readonly PartitionedInput[],
  numPartitions: number,
  sticky: StickyPartitioner,
  custom?: CustomPartitioner,
): number[] {
  return records.map((record) => {
    if (record.partition !== undefined) {
      if (!Number.isInteger(record.partition) || record.partition < 0 || record.partition >= numPartitions) {
        throw new TributaryError(
          'UNKNOWN_TOPIC_OR_PARTITION',
          `partition ${record.partition} is outside [0, ${numPartitions}) for topic "${topic}"`,
        );
      }
      return record.partition;
    }
    if (custom !== undefined) {
      const value = record.value ?? null;
      const chosen = custom({ topic, key: record.key, value, partitionCount: numPartitions });
      if (!Number.isInteger(chosen) || chosen < 0 || chosen >= numPartitions) {
        throw new TributaryError(
          'INVALID_PARTITIONS',
          `partitioner returned ${String(chosen)} for topic "${topic}", outside [0, ${numPartitions})`,
        );
      }
      return chosen;
    }
    if (record.key !== null) return partitionForKey(record.key, numPartitions);
    return sticky.partition(topic, { numPartitions });
  });
}

/** Record indexes per partition, in input order within each partition (order is kept per partition). */
export function groupByPartition(partitions: readonly number[]): Map<number, number[]> {
  const groups = new Map<number, number[]>();
  for (const [index, partition] of partitions.entries()) {
    const group = groups.get(partition);
    if (group === undefined) groups.set(partition, [index]);
    else group.push(index);
  }
  return groups;
}

/**
 * Splits `indexes` into runs that respect both batch bounds; a single record larger than the byte
 * bound still gets a run of its own (the broker decides whether it is too large).
 */
export function chunkBySize(
  indexes: readonly number[],
  sizeOf: (index: number) => number,
  bounds: { readonly maxRecords: number; readonly maxBytes: number },
): number[][] {
  const chunks: number[][] = [];
  let current: number[] = [];
  let bytes = 0;
  for (const index of indexes) {
    const size = sizeOf(index);
    if (current.length > 0 && (current.length >= bounds.maxRecords || bytes + size > bounds.maxBytes)) {
      chunks.push(current);
      current = [];
      bytes = 0;
    }
    current.push(index);
    bytes += size;
  }
  if (current.length > 0) chunks.push(current);
  return chunks;
}
