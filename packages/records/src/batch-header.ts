import { assert } from '@tributary/core';
import { crc32c } from './crc32c.js';
import { RecordBatchError } from './errors.js';
import { readInt64, writeInt64 } from './int64.js';
import {
  ATTRIBUTE_COMPRESSION_MASK,
  ATTRIBUTE_CONTROL_BIT,
  ATTRIBUTE_TIMESTAMP_TYPE_BIT,
  ATTRIBUTE_TRANSACTIONAL_BIT,
  ATTRIBUTES_OFFSET,
  BASE_OFFSET_OFFSET,
  BASE_SEQUENCE_OFFSET,
  BASE_TIMESTAMP_OFFSET,
  BATCH_HEADER_BYTES,
  BATCH_LENGTH_OFFSET,
  COMPRESSION_CODECS,
  type CompressionCodec,
  CRC_OFFSET,
  CRC_START_OFFSET,
  LAST_OFFSET_DELTA_OFFSET,
  LOG_OVERHEAD_BYTES,
  MAGIC_OFFSET,
  MAGIC_V2,
  MAX_TIMESTAMP_OFFSET,
  PARTITION_LEADER_EPOCH_OFFSET,
  PRODUCER_EPOCH_OFFSET,
  PRODUCER_ID_OFFSET,
  RECORD_COUNT_OFFSET,
  type TimestampType,
} from './layout.js';

/**
 * A zero-copy view of one batch's fixed header, for the broker's hot path: it reads and writes fields in
 * place and never decodes records (DESIGN §4). Reading does not validate; use validateBatch first for
 * bytes from the network or disk.
 *
 * baseOffset and partitionLeaderEpoch lie outside the CRC (as in Kafka), so the leader stamps them
 * without touching the checksum. The `set…` methods for the other fields change bytes the CRC covers:
 * call updateCrc() after them.
 */
export class RecordBatchHeader {
  readonly buf: Buffer;
  /** Where the batch starts in `buf`. */
  readonly position: number;

  constructor(buf: Buffer, position: number) {
    assert(
      Number.isInteger(position) && position >= 0 && buf.length - position >= BATCH_HEADER_BYTES,
      'a batch header view needs the whole fixed header in its buffer',
    );
    this.buf = buf;
    this.position = position;
  }

  get baseOffset(): number {
    return readInt64(this.buf, this.position + BASE_OFFSET_OFFSET, 'baseOffset');
  }
  set baseOffset(offset: number) {
    assert(offset >= 0, () => `baseOffset must not be negative, got ${offset}`);
    writeInt64(this.buf, this.position + BASE_OFFSET_OFFSET, offset, 'baseOffset');
  }

  get partitionLeaderEpoch(): number {
    return this.buf.readInt32BE(this.position + PARTITION_LEADER_EPOCH_OFFSET);
  }
  set partitionLeaderEpoch(epoch: number) {
    this.buf.writeInt32BE(epoch, this.position + PARTITION_LEADER_EPOCH_OFFSET);
  }

  get batchLength(): number {
    return this.buf.readInt32BE(this.position + BATCH_LENGTH_OFFSET);
  }
  /** The whole batch's size in bytes: batchLength plus the baseOffset and batchLength fields. */
  get sizeBytes(): number {
    return this.batchLength + LOG_OVERHEAD_BYTES;
  }
  get magic(): number {
    return this.buf.readInt8(this.position + MAGIC_OFFSET);
  }
  /** The CRC stored in the header (not recomputed). */
  get crc(): number {
    return this.buf.readUInt32BE(this.position + CRC_OFFSET);
  }
  get attributes(): number {
    return this.buf.readInt16BE(this.position + ATTRIBUTES_OFFSET);
  }
  /** Undefined for the codec ids 5-7, which Kafka treats as invalid. */
  get compression(): CompressionCodec | undefined {
    return COMPRESSION_CODECS[this.attributes & ATTRIBUTE_COMPRESSION_MASK];
  }
  get timestampType(): TimestampType {
    return this.attributes & ATTRIBUTE_TIMESTAMP_TYPE_BIT ? 'log-append-time' : 'create-time';
  }
  get isTransactional(): boolean {
    return (this.attributes & ATTRIBUTE_TRANSACTIONAL_BIT) !== 0;
  }
  get isControl(): boolean {
    return (this.attributes & ATTRIBUTE_CONTROL_BIT) !== 0;
  }
  get lastOffsetDelta(): number {
    return this.buf.readInt32BE(this.position + LAST_OFFSET_DELTA_OFFSET);
  }
  /** The offset of the batch's last record: the log end after appending it is lastOffset + 1. */
  get lastOffset(): number {
    return this.baseOffset + this.lastOffsetDelta;
  }
  get baseTimestamp(): number {
    return readInt64(this.buf, this.position + BASE_TIMESTAMP_OFFSET, 'baseTimestamp');
  }
  get maxTimestamp(): number {
    return readInt64(this.buf, this.position + MAX_TIMESTAMP_OFFSET, 'maxTimestamp');
  }
  get producerId(): number {
    return readInt64(this.buf, this.position + PRODUCER_ID_OFFSET, 'producerId');
  }
  get producerEpoch(): number {
    return this.buf.readInt16BE(this.position + PRODUCER_EPOCH_OFFSET);
  }
  get baseSequence(): number {
    return this.buf.readInt32BE(this.position + BASE_SEQUENCE_OFFSET);
  }
  get recordCount(): number {
    return this.buf.readInt32BE(this.position + RECORD_COUNT_OFFSET);
  }

  /** Changes CRC-covered bytes: call updateCrc() afterwards. */
  setLastOffsetDelta(delta: number): void {
    this.buf.writeInt32BE(delta, this.position + LAST_OFFSET_DELTA_OFFSET);
  }
  /** Changes CRC-covered bytes: call updateCrc() afterwards. */
  setRecordCount(count: number): void {
    this.buf.writeInt32BE(count, this.position + RECORD_COUNT_OFFSET);
  }
  /**
   * Changes CRC-covered bytes: call updateCrc() afterwards. For log-append-time the broker writes its
   * clock here (and sets the timestamp-type bit), as Kafka does.
   */
  setMaxTimestamp(timestampMs: number): void {
    writeInt64(this.buf, this.position + MAX_TIMESTAMP_OFFSET, timestampMs, 'maxTimestamp');
  }
  /** Changes CRC-covered bytes: call updateCrc() afterwards. */
  setProducer(producer: { producerId: number; producerEpoch: number; baseSequence: number }): void {
    writeInt64(this.buf, this.position + PRODUCER_ID_OFFSET, producer.producerId, 'producerId');
    this.buf.writeInt16BE(producer.producerEpoch, this.position + PRODUCER_EPOCH_OFFSET);
    this.buf.writeInt32BE(producer.baseSequence, this.position + BASE_SEQUENCE_OFFSET);
  }

  /** CRC32C over attributes..end of batch; the whole batch must be inside the buffer. */
  computeCrc(): number {
    const end = this.position + this.sizeBytes;
    assert(
      this.batchLength >= CRC_START_OFFSET - LOG_OVERHEAD_BYTES && end <= this.buf.length,
      'computeCrc needs the whole batch in the buffer',
    );
    return crc32c(this.buf.subarray(this.position + CRC_START_OFFSET, end));
  }

  updateCrc(): void {
    this.buf.writeUInt32BE(this.computeCrc(), this.position + CRC_OFFSET);
  }

  /** This batch's bytes, without copying. */
  bytes(): Buffer {
    return this.buf.subarray(this.position, this.position + this.sizeBytes);
  }
}

/** Views the header of the batch at `position`; refuses a buffer too short for the header or not v2. */
export function readBatchHeader(buf: Buffer, position = 0): RecordBatchHeader {
  const available = buf.length - position;
  if (available < BATCH_HEADER_BYTES) {
    throw new RecordBatchError(
      'TRUNCATED',
      position,
      `a batch header needs ${BATCH_HEADER_BYTES} bytes but only ${available} are left`,
    );
  }
  const magic = buf.readInt8(position + MAGIC_OFFSET);
  if (magic !== MAGIC_V2) {
    throw new RecordBatchError(
      'BAD_MAGIC',
      position + MAGIC_OFFSET,
      `magic is ${magic}, expected ${MAGIC_V2}`,
    );
  }
  return new RecordBatchHeader(buf, position);
}

export interface BatchStamp {
  readonly baseOffset: number;
  readonly partitionLeaderEpoch: number;
}

/**
 * The leader's append step (DESIGN §4): writes the assigned base offset and its leader epoch into the
 * header. Both fields are outside the CRC, so the producer's checksum stays valid and is not recomputed.
 */
export function stampBatch(buf: Buffer, stamp: BatchStamp, position = 0): RecordBatchHeader {
  const header = readBatchHeader(buf, position);
  assert(stamp.partitionLeaderEpoch >= 0, () => `leader epoch ${stamp.partitionLeaderEpoch} is negative`);
  header.baseOffset = stamp.baseOffset;
  header.partitionLeaderEpoch = stamp.partitionLeaderEpoch;
  return header;
}
