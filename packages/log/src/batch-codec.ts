import {
  type ControlMarker,
  crc32c,
  type DecodedControlRecord,
  decodeControlBatchMarker,
  RECORD_BATCH_V2_LAYOUT,
} from '@tributary/records';
import { LOG_LIMITS } from './limits.js';

/**
 * What the log needs to know about a record batch: a narrow view over Kafka's RecordBatch v2 header, so the
 * log never depends on how records are encoded (packages/records owns that). All reads are of the header
 * only; `isValid` is the one method that touches the record bytes (CRC).
 */
export interface BatchCodec {
  /** Bytes of the fixed header; a batch is never shorter. */
  readonly headerSize: number;
  readBaseOffset(buf: Buffer, pos: number): number;
  /** Bytes after the length field: the whole batch is `lengthFieldEnd + batchLength` bytes. */
  readBatchLength(buf: Buffer, pos: number): number;
  readLastOffsetDelta(buf: Buffer, pos: number): number;
  /** The records count the header claims (checked against lastOffsetDelta for producer batches). */
  readRecordCount(buf: Buffer, pos: number): number;
  readMaxTimestamp(buf: Buffer, pos: number): number;
  /** The first record's timestamp (RecordBatch v2 baseTimestamp). */
  readBaseTimestamp(buf: Buffer, pos: number): number;
  readPartitionLeaderEpoch(buf: Buffer, pos: number): number;
  /** The idempotent producer's id; -1 (any negative) for a producer without one. */
  readProducerId(buf: Buffer, pos: number): number;
  readProducerEpoch(buf: Buffer, pos: number): number;
  /** Sequence number of the batch's first record, per producer and partition. */
  readBaseSequence(buf: Buffer, pos: number): number;
  /** The attributes int16 (compression bits 0-2, timestamp type 3, transactional 4, control 5). */
  readAttributes(buf: Buffer, pos: number): number;
  /**
   * The end-transaction marker (type and coordinator epoch) of the control batch occupying
   * `buf[pos, pos + length)`, or null when it cannot be read (not one record, unknown version or type).
   * Called for control batches only: it decodes the record, which the log otherwise never does.
   */
  readControlMarker(buf: Buffer, pos: number, length: number): DecodedControlRecord | null;
  /** Writes base offset and leader epoch into the header; both lie outside the CRC range. */
  stamp(buf: Buffer, pos: number, fields: { baseOffset: number; partitionLeaderEpoch: number }): void;
  /** Magic, lengths and CRC of the batch occupying `buf[pos, pos + length)`. */
  isValid(buf: Buffer, pos: number, length: number): boolean;
}

/** Byte offsets of Kafka's RecordBatch v2 header fields (big-endian), as packages/records defines them. */
export const V2 = RECORD_BATCH_V2_LAYOUT;

export type Crc32cFunction = (bytes: Uint8Array) => number;

export function createKafkaV2BatchCodec(crc: Crc32cFunction = (bytes) => crc32c(bytes)): BatchCodec {
  return {
    headerSize: V2.records,
    readBaseOffset: (buf, pos) => Number(buf.readBigInt64BE(pos + V2.baseOffset)),
    readBatchLength: (buf, pos) => buf.readInt32BE(pos + V2.batchLength),
    readLastOffsetDelta: (buf, pos) => buf.readInt32BE(pos + V2.lastOffsetDelta),
    readRecordCount: (buf, pos) => buf.readInt32BE(pos + V2.recordCount),
    readMaxTimestamp: (buf, pos) => Number(buf.readBigInt64BE(pos + V2.maxTimestamp)),
    readBaseTimestamp: (buf, pos) => Number(buf.readBigInt64BE(pos + V2.baseTimestamp)),
    readPartitionLeaderEpoch: (buf, pos) => buf.readInt32BE(pos + V2.partitionLeaderEpoch),
    // An int64 on the wire; ids the controller hands out are safe integers, and any negative id means
    // "no producer id" whatever its magnitude.
    readProducerId: (buf, pos) => {
      const id = buf.readBigInt64BE(pos + V2.producerId);
      return id < 0n ? -1 : id > BigInt(Number.MAX_SAFE_INTEGER) ? Number.MAX_SAFE_INTEGER : Number(id);
    },
    readProducerEpoch: (buf, pos) => buf.readInt16BE(pos + V2.producerEpoch),
    readBaseSequence: (buf, pos) => buf.readInt32BE(pos + V2.baseSequence),
    readAttributes: (buf, pos) => buf.readInt16BE(pos + V2.attributes),
    readControlMarker(buf, pos, length) {
      try {
        return decodeControlBatchMarker(buf.subarray(pos, pos + length));
      } catch {
        return null;
      }
    },
    stamp(buf, pos, fields) {
      buf.writeBigInt64BE(BigInt(fields.baseOffset), pos + V2.baseOffset);
      buf.writeInt32BE(fields.partitionLeaderEpoch, pos + V2.partitionLeaderEpoch);
    },
    isValid(buf, pos, length) {
      if (length < V2.records || pos + length > buf.length) return false;
      if (V2.lengthFieldEnd + buf.readInt32BE(pos + V2.batchLength) !== length) return false;
      if (buf.readInt8(pos + V2.magic) !== 2) return false;
      if (buf.readInt32BE(pos + V2.lastOffsetDelta) < 0) return false;
      const expected = buf.readUInt32BE(pos + V2.crc);
      return crc(buf.subarray(pos + V2.attributes, pos + length)) >>> 0 === expected;
    },
  };
}

export const kafkaV2BatchCodec: BatchCodec = createKafkaV2BatchCodec();

/** The header fields of one batch the log tracks, plus where it lies. */
export interface BatchInfo {
  readonly position: number;
  readonly sizeBytes: number;
  readonly baseOffset: number;
  readonly lastOffset: number;
  readonly maxTimestamp: number;
  readonly partitionLeaderEpoch: number;
  /** -1 when the batch has no idempotent producer. */
  readonly producerId: number;
  readonly producerEpoch: number;
  readonly baseSequence: number;
  /** Attributes bit 4: the batch belongs to a transaction (data or marker). */
  readonly isTransactional: boolean;
  /** Attributes bit 5: a control batch (a transaction marker), never handed to applications. */
  readonly isControl: boolean;
  /** A control batch's marker; null for data batches and for control batches that cannot be read. */
  readonly controlMarker: ControlMarker | null;
  /**
   * The coordinator epoch a readable marker carries (the leader epoch of the transaction coordinator's
   * __transaction_state partition that wrote it); NO_COORDINATOR_EPOCH when `controlMarker` is null.
   */
  readonly coordinatorEpoch: number;
}

/** No coordinator epoch: not a readable marker, or no marker seen yet (Kafka's ProducerStateEntry's -1). */
export const NO_COORDINATOR_EPOCH = -1;

/** Kafka's attribute bits (RecordBatch v2). */
export const ATTRIBUTE_TRANSACTIONAL = 0x10;
export const ATTRIBUTE_CONTROL = 0x20;

/**
 * The size of the batch starting at `pos` from its length field, or -1 when the header is not all there or
 * the length is impossible. Bounded by LOG_LIMITS.batchBytesMax so a corrupt length never drives a huge read.
 */
export function batchSizeAt(codec: BatchCodec, buf: Buffer, pos: number): number {
  if (pos + codec.headerSize > buf.length) return -1;
  const size = V2.lengthFieldEnd + codec.readBatchLength(buf, pos);
  if (size < codec.headerSize || size > LOG_LIMITS.batchBytesMax) return -1;
  return size;
}

/**
 * The header fields of the batch at `pos`. The whole batch must be in `buf` when it may be a control batch
 * (the marker is read from its record); every caller (append parsing, segment scans) has the whole batch.
 */
export function readBatchInfo(codec: BatchCodec, buf: Buffer, pos: number, position: number): BatchInfo {
  const baseOffset = codec.readBaseOffset(buf, pos);
  const sizeBytes = V2.lengthFieldEnd + codec.readBatchLength(buf, pos);
  const attributes = codec.readAttributes(buf, pos);
  const isControl = (attributes & ATTRIBUTE_CONTROL) !== 0;
  const marker = isControl ? codec.readControlMarker(buf, pos, sizeBytes) : null;
  return {
    position,
    sizeBytes,
    baseOffset,
    lastOffset: baseOffset + codec.readLastOffsetDelta(buf, pos),
    maxTimestamp: codec.readMaxTimestamp(buf, pos),
    partitionLeaderEpoch: codec.readPartitionLeaderEpoch(buf, pos),
    producerId: codec.readProducerId(buf, pos),
    producerEpoch: codec.readProducerEpoch(buf, pos),
    baseSequence: codec.readBaseSequence(buf, pos),
    isTransactional: (attributes & ATTRIBUTE_TRANSACTIONAL) !== 0,
    isControl,
    controlMarker: marker?.marker ?? null,
    coordinatorEpoch: marker?.coordinatorEpoch ?? NO_COORDINATOR_EPOCH,
  };
}
