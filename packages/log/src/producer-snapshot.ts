/**
 * The producer-state snapshot a clean close leaves (Kafka's `<offset>.snapshot`), so the next open loads
 * the state instead of scanning every batch header of the log. It is trusted only when the open is clean
 * (no crash since it was written) and its log end offset is the log's; anything else falls back to the
 * scan. It also keeps producers whose batches retention has deleted, which a scan cannot see.
 *
 * Format (big-endian): magic u32 "TPS1", logEndOffset i64, producer count u32, then per producer (least
 * recently used first) producerId i64, producerEpoch i16, batch count u8 and per batch firstSequence i32,
 * lastSequence i32, firstOffset i64, lastOffset i64, maxTimestamp i64; last a CRC32C u32 of all before it.
 * Idle times are not stored: loaded producers count as seen at load time, as after a scan.
 */
import { readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { crc32c } from '@tributary/records';
import { isNotFound, syncDirectory, writeFileAtomically } from './fs-util.js';
import { LOG_LIMITS } from './limits.js';
import { type BatchMetadata, type ProducerEntry, SEQUENCE_MAX } from './producer-state.js';

export const PRODUCER_SNAPSHOT_FILE = 'producer-state-snapshot';
const MAGIC = 0x5450_5331;
const HEADER_BYTES = 4 + 8 + 4;
const PRODUCER_BYTES = 8 + 2 + 1;
const BATCH_BYTES = 4 + 4 + 8 + 8 + 8;
const CRC_BYTES = 4;

export interface ProducerSnapshot {
  readonly logEndOffset: number;
  /** lastUpdateMs is whatever the reader sets; it is not stored. */
  readonly entries: readonly Omit<ProducerEntry, 'lastUpdateMs'>[];
}

export function encodeProducerSnapshot(snapshot: ProducerSnapshot): Buffer {
  const batches = snapshot.entries.reduce((sum, entry) => sum + entry.batches.length, 0);
  const size = HEADER_BYTES + snapshot.entries.length * PRODUCER_BYTES + batches * BATCH_BYTES + CRC_BYTES;
  const buf = Buffer.alloc(size);
  let at = buf.writeUInt32BE(MAGIC, 0);
  at = buf.writeBigInt64BE(BigInt(snapshot.logEndOffset), at);
  at = buf.writeUInt32BE(snapshot.entries.length, at);
  for (const entry of snapshot.entries) {
    at = buf.writeBigInt64BE(BigInt(entry.producerId), at);
    at = buf.writeInt16BE(entry.producerEpoch, at);
    at = buf.writeUInt8(entry.batches.length, at);
    for (const batch of entry.batches) {
      at = buf.writeInt32BE(batch.firstSequence, at);
      at = buf.writeInt32BE(batch.lastSequence, at);
      at = buf.writeBigInt64BE(BigInt(batch.firstOffset), at);
      at = buf.writeBigInt64BE(BigInt(batch.lastOffset), at);
      at = buf.writeBigInt64BE(BigInt(batch.maxTimestamp), at);
    }
  }
  buf.writeUInt32BE(crc32c(buf.subarray(0, at)) >>> 0, at);
  return buf;
}

/** The snapshot in `buf`, or null when it is damaged or not one (the caller then scans the log). */
export function decodeProducerSnapshot(buf: Buffer): ProducerSnapshot | null {
  if (buf.length < HEADER_BYTES + CRC_BYTES) return null;
  const body = buf.subarray(0, buf.length - CRC_BYTES);
  if (buf.readUInt32BE(0) !== MAGIC || crc32c(body) >>> 0 !== buf.readUInt32BE(body.length)) return null;
  const logEndOffset = Number(buf.readBigInt64BE(4));
  const count = buf.readUInt32BE(12);
  if (count > LOG_LIMITS.producersPerPartitionMax) return null;
  const entries: Omit<ProducerEntry, 'lastUpdateMs'>[] = [];
  let at = HEADER_BYTES;
  for (let i = 0; i < count; i++) {
    if (at + PRODUCER_BYTES > body.length) return null;
    const producerId = Number(buf.readBigInt64BE(at));
    const producerEpoch = buf.readInt16BE(at + 8);
    const batchCount = buf.readUInt8(at + 10);
    at += PRODUCER_BYTES;
    if (!Number.isSafeInteger(producerId) || producerId < 0 || producerEpoch < 0) return null;
    if (batchCount < 1 || batchCount > LOG_LIMITS.producerBatchesRetained) return null;
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
    entries.push({ producerId, producerEpoch, batches });
  }
  return at === body.length ? { logEndOffset, entries } : null;
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

export async function writeProducerSnapshot(dir: string, snapshot: ProducerSnapshot): Promise<void> {
  await writeFileAtomically(join(dir, PRODUCER_SNAPSHOT_FILE), encodeProducerSnapshot(snapshot));
}

/**
 * Reads and removes (durably) the snapshot: it describes the log only until the next write, so a later
 * open must never find it (only a clean open trusts a snapshot, and a clean close writes a new one first).
 */
export async function takeProducerSnapshot(dir: string): Promise<ProducerSnapshot | null> {
  const path = join(dir, PRODUCER_SNAPSHOT_FILE);
  let bytes: Buffer;
  try {
    bytes = await readFile(path);
  } catch (error) {
    if (isNotFound(error)) return null;
    throw error;
  }
  await rm(path, { force: true });
  await syncDirectory(dir);
  return decodeProducerSnapshot(bytes);
}
