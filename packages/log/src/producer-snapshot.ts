/**
 * The producer-state snapshot a clean close leaves (Kafka's `<offset>.snapshot`), so the next open loads
 * the state instead of scanning every batch header of the log. It is trusted only when the open is clean
 * (no crash since it was written) and its log end offset is the log's; anything else falls back to the
 * scan. It also keeps producers whose batches retention has deleted, which a scan cannot see.
 *
 * Format (big-endian), version 2: magic u32 "TPS2", logEndOffset i64, lastTransactionalOffset i64 (-1:
 * none), producer count u32, then per producer (least recently used first) producerId i64, producerEpoch
 * i16, currentTxnFirstOffset i64 (-1: no open transaction), batch count u8 (0 after a marker moved the
 * producer to a new epoch) and per batch firstSequence i32, lastSequence i32, firstOffset i64, lastOffset
 * i64, maxTimestamp i64; last a CRC32C u32 of all before it. Version 1 ("TPS1", written before
 * transactions) lacks lastTransactionalOffset and currentTxnFirstOffset and has at least one batch per
 * producer; it is still read. Idle times are not stored: loaded producers count as seen at load time.
 */
import { readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { crc32c } from '@tributary/records';
import { isNotFound, syncDirectory, writeFileAtomically } from './fs-util.js';
import { LOG_LIMITS } from './limits.js';
import { type BatchMetadata, type ProducerEntry, SEQUENCE_MAX } from './producer-state.js';

export const PRODUCER_SNAPSHOT_FILE = 'producer-state-snapshot';
const MAGIC_V1 = 0x5450_5331;
const MAGIC_V2 = 0x5450_5332;
const HEADER_BYTES_V1 = 4 + 8 + 4;
const HEADER_BYTES = 4 + 8 + 8 + 4;
const PRODUCER_BYTES_V1 = 8 + 2 + 1;
const PRODUCER_BYTES = 8 + 2 + 8 + 1;
const BATCH_BYTES = 4 + 4 + 8 + 8 + 8;
const CRC_BYTES = 4;

export interface ProducerSnapshot {
  readonly logEndOffset: number;
  /** The producer state's lastTransactionalOffset (-1: no transactional batch seen). */
  readonly lastTransactionalOffset: number;
  /** lastUpdateMs is whatever the reader sets; it is not stored. */
  readonly entries: readonly Omit<ProducerEntry, 'lastUpdateMs'>[];
}

export function encodeProducerSnapshot(snapshot: ProducerSnapshot): Buffer {
  const batches = snapshot.entries.reduce((sum, entry) => sum + entry.batches.length, 0);
  const size = HEADER_BYTES + snapshot.entries.length * PRODUCER_BYTES + batches * BATCH_BYTES + CRC_BYTES;
  const buf = Buffer.alloc(size);
  let at = buf.writeUInt32BE(MAGIC_V2, 0);
  at = buf.writeBigInt64BE(BigInt(snapshot.logEndOffset), at);
  at = buf.writeBigInt64BE(BigInt(snapshot.lastTransactionalOffset), at);
  at = buf.writeUInt32BE(snapshot.entries.length, at);
  for (const entry of snapshot.entries) {
    at = buf.writeBigInt64BE(BigInt(entry.producerId), at);
    at = buf.writeInt16BE(entry.producerEpoch, at);
    at = buf.writeBigInt64BE(BigInt(entry.currentTxnFirstOffset ?? -1), at);
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
  if (buf.length < HEADER_BYTES_V1 + CRC_BYTES) return null;
  const body = buf.subarray(0, buf.length - CRC_BYTES);
  const magic = buf.readUInt32BE(0);
  const v2 = magic === MAGIC_V2;
  if ((!v2 && magic !== MAGIC_V1) || crc32c(body) >>> 0 !== buf.readUInt32BE(body.length)) return null;
  if (v2 && body.length < HEADER_BYTES) return null;
  const logEndOffset = Number(buf.readBigInt64BE(4));
  const lastTransactionalOffset = v2 ? Number(buf.readBigInt64BE(12)) : -1;
  let at = v2 ? HEADER_BYTES : HEADER_BYTES_V1;
  const count = buf.readUInt32BE(at - 4);
  if (count > LOG_LIMITS.producersPerPartitionMax || !Number.isSafeInteger(lastTransactionalOffset))
    return null;
  const producerBytes = v2 ? PRODUCER_BYTES : PRODUCER_BYTES_V1;
  const entries: Omit<ProducerEntry, 'lastUpdateMs'>[] = [];
  for (let i = 0; i < count; i++) {
    if (at + producerBytes > body.length) return null;
    const producerId = Number(buf.readBigInt64BE(at));
    const producerEpoch = buf.readInt16BE(at + 8);
    const txnFirstOffset = v2 ? Number(buf.readBigInt64BE(at + 10)) : -1;
    const batchCount = buf.readUInt8(at + producerBytes - 1);
    at += producerBytes;
    if (!Number.isSafeInteger(producerId) || producerId < 0 || producerEpoch < 0) return null;
    if (!Number.isSafeInteger(txnFirstOffset) || txnFirstOffset < -1) return null;
    if (batchCount < (v2 ? 0 : 1) || batchCount > LOG_LIMITS.producerBatchesRetained) return null;
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
    const entry = { producerId, producerEpoch, batches };
    entries.push(txnFirstOffset < 0 ? entry : { ...entry, currentTxnFirstOffset: txnFirstOffset });
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
