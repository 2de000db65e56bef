/**
 * The producer-state snapshot a clean close leaves (Kafka's `<offset>.snapshot`), so the next open loads
 * the state instead of scanning every batch header of the log. It is trusted only when the open is clean
 * (no crash since it was written) and its log end offset is the log's; anything else falls back to the
 * scan. It also keeps producers whose batches retention has deleted, which a scan cannot see.
 *
 * Format (big-endian), version 3: magic u32 "TPS3", logEndOffset i64, lastTransactionalOffset i64 (-1:
 * none), producer count u32, then per producer (least recently used first) producerId i64, producerEpoch
 * i16, currentTxnFirstOffset i64 (-1: no open transaction), coordinatorEpoch i32 (of the last marker
 * written for the producer; -1: none), batch count u8 (0 after a marker moved the producer to a new epoch)
 * and per batch firstSequence i32, lastSequence i32, firstOffset i64, lastOffset i64, maxTimestamp i64;
 * last a CRC32C u32 of all before it. Older versions are still read:
 * - version 2 ("TPS2", written before coordinator fencing) lacks coordinatorEpoch: loaded as none, so the
 *   first marker after the load is not fenced (as after a producer expired);
 * - version 1 ("TPS1", written before transactions) also lacks lastTransactionalOffset and
 *   currentTxnFirstOffset and has at least one batch per producer.
 * Idle times are not stored: loaded producers count as seen at load time.
 */
import { join } from 'node:path';
import { assert } from '@tributary/core';
import { crc32c } from '@tributary/records';
import { NO_COORDINATOR_EPOCH } from './batch-codec.js';
import { readOptionalFile, writeFileAtomically } from './fs-util.js';
import { LOG_LIMITS } from './limits.js';
import type { LogFileSystem } from './log-fs.js';
import { type BatchMetadata, type ProducerEntry, SEQUENCE_MAX } from './producer-state.js';

export const PRODUCER_SNAPSHOT_FILE = 'producer-state-snapshot';
const MAGIC_V1 = 0x5450_5331;
const MAGIC_V2 = 0x5450_5332;
const MAGIC_V3 = 0x5450_5333;
const BATCH_BYTES = 4 + 4 + 8 + 8 + 8;
const CRC_BYTES = 4;

/** Where each version differs: the header's fields, and which per-producer fields it has. */
interface SnapshotLayout {
  readonly headerBytes: number;
  readonly producerBytes: number;
  readonly hasTransactions: boolean;
  readonly hasCoordinatorEpoch: boolean;
}

const LAYOUT_V1: SnapshotLayout = {
  headerBytes: 4 + 8 + 4,
  producerBytes: 8 + 2 + 1,
  hasTransactions: false,
  hasCoordinatorEpoch: false,
};
const LAYOUT_V2: SnapshotLayout = {
  headerBytes: 4 + 8 + 8 + 4,
  producerBytes: 8 + 2 + 8 + 1,
  hasTransactions: true,
  hasCoordinatorEpoch: false,
};
/** The version written. */
const LAYOUT_V3: SnapshotLayout = {
  headerBytes: 4 + 8 + 8 + 4,
  producerBytes: 8 + 2 + 8 + 4 + 1,
  hasTransactions: true,
  hasCoordinatorEpoch: true,
};
const LAYOUTS: ReadonlyMap<number, SnapshotLayout> = new Map([
  [MAGIC_V1, LAYOUT_V1],
  [MAGIC_V2, LAYOUT_V2],
  [MAGIC_V3, LAYOUT_V3],
]);

export interface ProducerSnapshot {
  readonly logEndOffset: number;
  /** The producer state's lastTransactionalOffset (-1: no transactional batch seen). */
  readonly lastTransactionalOffset: number;
  /** lastUpdateMs is whatever the reader sets; it is not stored. */
  readonly entries: readonly Omit<ProducerEntry, 'lastUpdateMs'>[];
}

export function encodeProducerSnapshot(snapshot: ProducerSnapshot): Buffer {
  const batches = snapshot.entries.reduce((sum, entry) => sum + entry.batches.length, 0);
  const { headerBytes, producerBytes } = LAYOUT_V3;
  const size = headerBytes + snapshot.entries.length * producerBytes + batches * BATCH_BYTES + CRC_BYTES;
  const buf = Buffer.alloc(size);
  let at = buf.writeUInt32BE(MAGIC_V3, 0);
  at = buf.writeBigInt64BE(BigInt(snapshot.logEndOffset), at);
  at = buf.writeBigInt64BE(BigInt(snapshot.lastTransactionalOffset), at);
  at = buf.writeUInt32BE(snapshot.entries.length, at);
  for (const entry of snapshot.entries) {
    // -1 is the stored "none"; the state never holds a negative epoch (see ProducerEntry).
    assert((entry.coordinatorEpoch ?? 0) >= 0, 'a stored coordinator epoch is not negative');
    at = buf.writeBigInt64BE(BigInt(entry.producerId), at);
    at = buf.writeInt16BE(entry.producerEpoch, at);
    at = buf.writeBigInt64BE(BigInt(entry.currentTxnFirstOffset ?? -1), at);
    at = buf.writeInt32BE(entry.coordinatorEpoch ?? NO_COORDINATOR_EPOCH, at);
    at = buf.writeUInt8(entry.batches.length, at);
    for (const batch of entry.batches) {
      at = buf.writeInt32BE(batch.firstSequence, at);
      at = buf.writeInt32BE(batch.lastSequence, at);
      at = buf.writeBigInt64BE(BigInt(batch.firstOffset), at);
      at = buf.writeBigInt64BE(BigInt(batch.lastOffset), at);
      at = buf.writeBigInt64BE(BigInt(batch.maxTimestamp), at);
    }
  }
  assert(at + CRC_BYTES === size, 'the snapshot fills the bytes its layout sized');
  buf.writeUInt32BE(crc32c(buf.subarray(0, at)) >>> 0, at);
  return buf;
}

/** The snapshot in `buf`, or null when it is damaged or not one (the caller then scans the log). */
export function decodeProducerSnapshot(buf: Buffer): ProducerSnapshot | null {
  if (buf.length < LAYOUT_V1.headerBytes + CRC_BYTES) return null;
  const body = buf.subarray(0, buf.length - CRC_BYTES);
  const layout = LAYOUTS.get(buf.readUInt32BE(0));
  if (layout === undefined || crc32c(body) >>> 0 !== buf.readUInt32BE(body.length)) return null;
  if (body.length < layout.headerBytes) return null;
  const logEndOffset = Number(buf.readBigInt64BE(4));
  const lastTransactionalOffset = layout.hasTransactions ? Number(buf.readBigInt64BE(12)) : -1;
  let at = layout.headerBytes;
  const count = buf.readUInt32BE(at - 4);
  if (count > LOG_LIMITS.producersPerPartitionMax || !Number.isSafeInteger(lastTransactionalOffset))
    return null;
  const { producerBytes } = layout;
  const entries: Omit<ProducerEntry, 'lastUpdateMs'>[] = [];
  for (let i = 0; i < count; i++) {
    if (at + producerBytes > body.length) return null;
    const producerId = Number(buf.readBigInt64BE(at));
    const producerEpoch = buf.readInt16BE(at + 8);
    const txnFirstOffset = layout.hasTransactions ? Number(buf.readBigInt64BE(at + 10)) : -1;
    const coordinatorEpoch = layout.hasCoordinatorEpoch ? buf.readInt32BE(at + 18) : NO_COORDINATOR_EPOCH;
    const batchCount = buf.readUInt8(at + producerBytes - 1);
    at += producerBytes;
    if (!Number.isSafeInteger(producerId) || producerId < 0 || producerEpoch < 0) return null;
    if (!Number.isSafeInteger(txnFirstOffset) || txnFirstOffset < -1) return null;
    if (coordinatorEpoch < NO_COORDINATOR_EPOCH) return null;
    // Version 1 wrote a producer only with a batch; a marker may leave one without since version 2.
    const batchesMin = layout.hasTransactions ? 0 : 1;
    if (batchCount < batchesMin || batchCount > LOG_LIMITS.producerBatchesRetained) return null;
    if (at + batchCount * BATCH_BYTES > body.length) return null;
    const batches: BatchMetadata[] = [];
    for (let b = 0; b < batchCount; b++, at += BATCH_BYTES) {
      const batch: BatchMetadata = {
        firstSequence: buf.readInt32BE(at),
        lastSequence: buf.readInt32BE(at + 4),
        firstOffset: Number(buf.readBigInt64BE(at + 8)),
        lastOffset: Number(buf.readBigInt64BE(at + 16)),
        maxTimestamp: Number(buf.readBigInt64BE(at + 24)),
      };
      if (!isValidBatch(batch)) return null;
      batches.push(batch);
    }
    const entry: Omit<ProducerEntry, 'lastUpdateMs'> = {
      producerId,
      producerEpoch,
      batches,
      ...(txnFirstOffset < 0 ? {} : { currentTxnFirstOffset: txnFirstOffset }),
      ...(coordinatorEpoch < 0 ? {} : { coordinatorEpoch }),
    };
    entries.push(entry);
  }
  return at === body.length ? { logEndOffset, lastTransactionalOffset, entries } : null;
}

function isValidBatch(batch: BatchMetadata): boolean {
  const sequenceOk = (sequence: number) => sequence >= 0 && sequence <= SEQUENCE_MAX;
  return (
    sequenceOk(batch.firstSequence) &&
    sequenceOk(batch.lastSequence) &&
    Number.isSafeInteger(batch.firstOffset) &&
    Number.isSafeInteger(batch.lastOffset) &&
    batch.firstOffset >= 0 &&
    batch.lastOffset >= batch.firstOffset
  );
}

export async function writeProducerSnapshot(
  fs: LogFileSystem,
  dir: string,
  snapshot: ProducerSnapshot,
): Promise<void> {
  await writeFileAtomically(fs, join(dir, PRODUCER_SNAPSHOT_FILE), encodeProducerSnapshot(snapshot));
}

/**
 * Reads and removes (durably) the snapshot: it describes the log only until the next write, so a later
 * open must never find it (only a clean open trusts a snapshot, and a clean close writes a new one first).
 */
export async function takeProducerSnapshot(fs: LogFileSystem, dir: string): Promise<ProducerSnapshot | null> {
  const path = join(dir, PRODUCER_SNAPSHOT_FILE);
  const bytes = await readOptionalFile(fs, path);
  if (bytes === null) return null;
  await fs.rm(path, { force: true });
  await fs.syncDirectory(dir);
  return decodeProducerSnapshot(bytes);
}
