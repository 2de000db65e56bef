import { assert } from '@tributary/core';
import {
  crc32c,
  type DecodedBatch,
  type DecodedRecord,
  decodeRecordBatch,
  encodeRecordBatch,
  RECORD_BATCH_V2_LAYOUT as V2,
} from '@tributary/records';
import { OffsetMap } from './offset-map.js';
import { type AbortedRanges, observeBatch, type TransactionTracker } from './transactions.js';

/**
 * The cleaner's decision for one batch (pure): which records survive, and the bytes of the batch that
 * holds them. Kafka's LogCleaner.shouldRetainRecord and MemoryRecords.filterTo, for RecordBatch v2:
 * - a record survives when it is the latest of its key in the dirty section, or its key is not there;
 * - a record without a key never survives (Kafka refuses them on compacted topics; the cleaner drops any);
 * - a tombstone (null value) that is the latest of its key survives until its segment's delete horizon;
 * - a batch whose every record goes is dropped, except the last batch of a producer the producer state
 *   still holds, which stays as an empty batch so the producer's sequence survives a restart;
 * - a rewritten batch keeps its base offset, last offset (lastOffsetDelta), producer id/epoch/base
 *   sequence, partition leader epoch, timestamp type and compression; survivors keep their offsets;
 * - transactions (transactions.ts): aborted data goes whole (an empty header if it is its producer's last
 *   batch), committed data compacts like any other, a marker goes once nothing of its transaction was read
 *   in this pass, its segment's delete horizon passed and it is not its producer's newest entry.
 */
export interface BatchFilterContext {
  readonly offsetMap: OffsetMap;
  /** Batches reaching this offset were not mapped (map full, or the clean bound): they are kept whole. */
  readonly mapEndOffset: number;
  /** The delete horizon of the batch's segment has passed: tombstones that survived so far go now. */
  readonly tombstonesExpired: boolean;
  /** Whether the batch ending at `lastOffset` is the newest the producer state holds for `producerId`. */
  readonly isProducersLastBatch: (producerId: number, lastOffset: number) => boolean;
  readonly transactions: TransactionFilterContext;
}

export interface TransactionFilterContext {
  /** Aborted transactions overlapping the segment (the log's aborted-transaction index). */
  readonly aborted: AbortedRanges;
  /** Shared by every batch of the pass, in offset order. */
  readonly tracker: TransactionTracker;
  /** The segment was first cleaned more than delete.retention.ms ago: its markers may go. */
  readonly markerHorizonPassed: boolean;
  /**
   * Whether the marker at `offset` may be its producer's newest entry in the log (no data batch of the
   * producer is known past it): such a marker holds the producer's epoch across a restart, and stays.
   */
  readonly mayBeProducersLastEntry: (producerId: number, offset: number) => boolean;
  /** Asserts that the batch is not part of a transaction still open (the pass's bound is below the LSO). */
  readonly checkDecided: (producerId: number, lastOffset: number) => void;
}

export interface FilteredBatch {
  /** The batch to write: the original bytes when nothing changed; null when the batch goes. */
  readonly bytes: Buffer | null;
  readonly recordsRemoved: number;
  /** A marker this pass removes (its entry leaves the segment's aborted-transaction index). */
  readonly markerRemoved?: boolean;
}

/** The attribute bits an empty batch keeps (timestamp type, transactional, control; not compression). */
const EMPTY_BATCH_ATTRIBUTES_MASK = 0x38;

export function filterBatch(batch: Buffer, context: BatchFilterContext): FilteredBatch {
  const lastOffset = Number(batch.readBigInt64BE(V2.baseOffset)) + batch.readInt32BE(V2.lastOffsetDelta);
  const txn = context.transactions;
  if (lastOffset >= context.mapEndOffset) {
    observeBatch(batch, txn.tracker);
    return { bytes: batch, recordsRemoved: 0 };
  }
  const decoded = decodeRecordBatch(batch);
  if (decoded.isControl) return filterMarker(batch, decoded, txn);
  let aborted = false;
  if (decoded.isTransactional) {
    txn.checkDecided(decoded.producerId, lastOffset);
    txn.tracker.onData(decoded.producerId);
    aborted = txn.aborted.isAborted(decoded.producerId, decoded.baseOffset, lastOffset);
  }
  const kept = aborted ? [] : decoded.records.filter((record) => retainRecord(record, context));
  const recordsRemoved = decoded.records.length - kept.length;
  if (kept.length > 0) {
    return { bytes: recordsRemoved === 0 ? batch : rewriteBatch(decoded, kept), recordsRemoved };
  }
  // An empty batch (emptied now or by an earlier pass) stays only while it is its producer's last (Kafka's
  // RETAIN_EMPTY); one a later batch of the producer superseded goes, which also lets its marker go.
  const retainEmpty = decoded.producerId >= 0 && context.isProducersLastBatch(decoded.producerId, lastOffset);
  if (!retainEmpty) return { bytes: null, recordsRemoved };
  return { bytes: recordsRemoved === 0 ? batch : emptyBatch(batch), recordsRemoved };
}

/** A marker goes only when nothing of its transaction was read, its horizon passed and it is not needed. */
function filterMarker(batch: Buffer, decoded: DecodedBatch, txn: TransactionFilterContext): FilteredBatch {
  const hadData = txn.tracker.onMarker(decoded.producerId);
  const removable =
    !hadData &&
    txn.markerHorizonPassed &&
    !txn.mayBeProducersLastEntry(decoded.producerId, decoded.baseOffset + decoded.lastOffsetDelta);
  if (!removable) return { bytes: batch, recordsRemoved: 0 };
  return { bytes: null, recordsRemoved: decoded.records.length, markerRemoved: true };
}

function retainRecord(record: DecodedRecord, context: BatchFilterContext): boolean {
  if (record.key === null) return false;
  const latest = context.offsetMap.latest(OffsetMap.keyOf(record.key));
  // Not in the map: the key was not updated in the dirty section, so this is still its latest record.
  if (latest !== undefined && record.offset < latest) return false;
  return record.value !== null || !context.tombstonesExpired;
}

/**
 * Re-encodes the survivors with the original header fields; the last offset stays the original one. The
 * transactional bit stays too: committed data compacts but is still its transaction's (its marker waits
 * for it, and a producer state rebuilt from the log sees the transaction it was in).
 */
function rewriteBatch(decoded: DecodedBatch, kept: readonly DecodedRecord[]): Buffer {
  assert(!decoded.isControl, 'a marker is kept or removed whole, never rewritten');
  const bytes = encodeRecordBatch({
    baseOffset: decoded.baseOffset,
    isTransactional: decoded.isTransactional,
    partitionLeaderEpoch: decoded.partitionLeaderEpoch,
    producerId: decoded.producerId,
    producerEpoch: decoded.producerEpoch,
    baseSequence: decoded.baseSequence,
    compression: decoded.compression,
    timestampType: decoded.timestampType,
    records: kept.map((record) => ({
      key: record.key,
      value: record.value,
      headers: record.headers,
      timestampMs: record.timestampMs,
      offsetDelta: record.offsetDelta,
    })),
  });
  // Kafka keeps lastOffsetDelta when the last record goes (v2): the producer's last sequence is derived
  // from it, and a follower's log end must not depend on which records the leader's cleaner removed.
  bytes.writeInt32BE(decoded.lastOffsetDelta, V2.lastOffsetDelta);
  updateCrc(bytes);
  return bytes;
}

/** Kafka's MemoryRecords.writeEmptyHeader: the header alone, zero records, the original offsets. */
function emptyBatch(batch: Buffer): Buffer {
  const empty = Buffer.from(batch.subarray(0, V2.records));
  empty.writeInt32BE(V2.records - V2.lengthFieldEnd, V2.batchLength);
  empty.writeInt16BE(batch.readInt16BE(V2.attributes) & EMPTY_BATCH_ATTRIBUTES_MASK, V2.attributes);
  // Both timestamps become the batch's max timestamp, so time lookups and retention see the same batch.
  empty.writeBigInt64BE(batch.readBigInt64BE(V2.maxTimestamp), V2.baseTimestamp);
  empty.writeInt32BE(0, V2.recordCount);
  updateCrc(empty);
  assert(empty.length === V2.records, 'an empty batch is a header');
  return empty;
}

function updateCrc(bytes: Buffer): void {
  bytes.writeUInt32BE(crc32c(bytes.subarray(V2.attributes)) >>> 0, V2.crc);
}
