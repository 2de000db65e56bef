import { crc32c } from '@tributary/records';
import { V2 } from './batch-codec.js';

/**
 * Builds a RecordBatch v2 byte image for tests: a real header with a correct CRC and `recordCount` opaque
 * "records" (the log never decodes them). Offsets and epoch are whatever the caller passes.
 */
export interface TestBatchSpec {
  readonly recordCount?: number;
  readonly baseOffset?: number;
  readonly leaderEpoch?: number;
  readonly timestampMs?: number;
  readonly payloadBytes?: number;
  /** Fills the payload, so batches are recognisable in read results. */
  readonly fill?: number;
  /** Idempotent producer fields; -1 (no producer) by default. */
  readonly producerId?: number;
  readonly producerEpoch?: number;
  readonly baseSequence?: number;
}

export function buildBatch(spec: TestBatchSpec = {}): Buffer {
  const recordCount = spec.recordCount ?? 1;
  const payloadBytes = spec.payloadBytes ?? 16;
  const buf = Buffer.alloc(V2.records + payloadBytes, spec.fill ?? 0x61);
  const timestampMs = spec.timestampMs ?? 1_000;
  buf.writeBigInt64BE(BigInt(spec.baseOffset ?? 0), V2.baseOffset);
  buf.writeInt32BE(buf.length - V2.lengthFieldEnd, V2.batchLength);
  buf.writeInt32BE(spec.leaderEpoch ?? 0, V2.partitionLeaderEpoch);
  buf.writeInt8(2, V2.magic);
  buf.writeInt16BE(0, V2.attributes);
  buf.writeInt32BE(recordCount - 1, V2.lastOffsetDelta);
  buf.writeBigInt64BE(BigInt(timestampMs), V2.baseTimestamp);
  buf.writeBigInt64BE(BigInt(timestampMs), V2.maxTimestamp);
  buf.writeBigInt64BE(BigInt(spec.producerId ?? -1), V2.producerId);
  buf.writeInt16BE(spec.producerEpoch ?? -1, V2.producerEpoch);
  buf.writeInt32BE(spec.baseSequence ?? -1, V2.baseSequence);
  buf.writeInt32BE(recordCount, V2.recordCount);
  buf.writeUInt32BE(crc32c(buf.subarray(V2.attributes)) >>> 0, V2.crc);
  return buf;
}

/** Splits a read result into its batches (by the length field). */
export function splitBatches(bytes: Buffer): Buffer[] {
  const batches: Buffer[] = [];
  let position = 0;
  while (position < bytes.length) {
    const size = V2.lengthFieldEnd + bytes.readInt32BE(position + V2.batchLength);
    batches.push(bytes.subarray(position, position + size));
    position += size;
  }
  return batches;
}

export function baseOffsetOf(batch: Buffer): number {
  return Number(batch.readBigInt64BE(V2.baseOffset));
}
