import { assert, TributaryError } from '@tributary/core';
import { compressRecords, isSupportedCompression, SUPPORTED_COMPRESSION } from './compression.js';
import { crc32c } from './crc32c.js';
import { RecordBatchError } from './errors.js';
import { writeInt64 } from './int64.js';
import {
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
  NO_PARTITION_LEADER_EPOCH,
  NO_PRODUCER_EPOCH,
  NO_PRODUCER_ID,
  NO_SEQUENCE,
  PARTITION_LEADER_EPOCH_OFFSET,
  PRODUCER_EPOCH_OFFSET,
  PRODUCER_ID_OFFSET,
  RECORD_COUNT_OFFSET,
  RECORD_LIMITS,
  type TimestampType,
} from './layout.js';
import { sizeOfVarint, sizeOfVarlong, VARLONG_MAGNITUDE_LIMIT, writeVarint, writeVarlong } from './varint.js';

export interface RecordHeader {
  readonly key: string;
  readonly value: Uint8Array | null;
}

export interface RecordInput {
  readonly key: Uint8Array | null;
  readonly value: Uint8Array | null;
  readonly headers?: readonly RecordHeader[] | undefined;
  readonly timestampMs: number;
  /** Defaults to the record's index; given explicitly only for compacted batches with gaps. */
  readonly offsetDelta?: number | undefined;
}

export interface EncodeBatchOptions {
  /** Defaults to 0: producers send 0 and the leader stamps the real offset (stampBatch). */
  readonly baseOffset?: number | undefined;
  readonly partitionLeaderEpoch?: number | undefined;
  readonly producerId?: number | undefined;
  readonly producerEpoch?: number | undefined;
  readonly baseSequence?: number | undefined;
  /** Defaults to 'none'. The records section is compressed as one blob (compression.ts). */
  readonly compression?: CompressionCodec | undefined;
  readonly timestampType?: TimestampType | undefined;
  readonly isTransactional?: boolean | undefined;
  readonly isControl?: boolean | undefined;
  readonly records: readonly RecordInput[];
}

const INT32_MAX = 0x7fff_ffff;

function invalid(message: string): TributaryError {
  return new TributaryError('INVALID_REQUEST', `cannot encode record batch: ${message}`);
}

function checkInt(value: number, what: string, min: number, max: number): void {
  if (!Number.isSafeInteger(value) || value < min || value > max) {
    throw invalid(`${what} must be an integer in [${min}, ${max}], got ${value}`);
  }
}

/** Resolves offset deltas (default: the index) and checks they start at ≥ 0 and strictly increase. */
function offsetDeltasOf(records: readonly RecordInput[]): number[] {
  const deltas: number[] = [];
  let previous = -1;
  for (const [index, record] of records.entries()) {
    const delta = record.offsetDelta ?? index;
    checkInt(delta, `record ${index} offsetDelta`, previous + 1, INT32_MAX);
    deltas.push(delta);
    previous = delta;
  }
  return deltas;
}

function bytesFieldSize(bytes: Uint8Array | null): number {
  return bytes === null ? sizeOfVarint(-1) : sizeOfVarint(bytes.length) + bytes.length;
}

/** The size of a record's body: everything after its own length varint. */
function recordBodySize(record: RecordInput, timestampDelta: number, offsetDelta: number): number {
  let size = 1 + sizeOfVarlong(timestampDelta) + sizeOfVarint(offsetDelta);
  size += bytesFieldSize(record.key) + bytesFieldSize(record.value);
  const headers = record.headers ?? [];
  size += sizeOfVarint(headers.length);
  for (const header of headers) {
    const keyBytes = Buffer.byteLength(header.key, 'utf8');
    size += sizeOfVarint(keyBytes) + keyBytes + bytesFieldSize(header.value);
  }
  return size;
}

function writeBytesField(buf: Buffer, position: number, bytes: Uint8Array | null): number {
  if (bytes === null) return writeVarint(buf, position, -1);
  const pos = writeVarint(buf, position, bytes.length);
  buf.set(bytes, pos);
  return pos + bytes.length;
}

interface RecordLayout {
  readonly timestampDelta: number;
  readonly offsetDelta: number;
  readonly bodySize: number;
}

function writeRecord(buf: Buffer, position: number, record: RecordInput, layout: RecordLayout): number {
  const start = writeVarint(buf, position, layout.bodySize);
  let pos = start;
  buf[pos++] = 0; // record attributes: unused in v2
  pos = writeVarlong(buf, pos, layout.timestampDelta);
  pos = writeVarint(buf, pos, layout.offsetDelta);
  pos = writeBytesField(buf, pos, record.key);
  pos = writeBytesField(buf, pos, record.value);
  const headers = record.headers ?? [];
  pos = writeVarint(buf, pos, headers.length);
  for (const header of headers) {
    pos = writeVarint(buf, pos, Buffer.byteLength(header.key, 'utf8'));
    pos += buf.write(header.key, pos, 'utf8');
    pos = writeBytesField(buf, pos, header.value);
  }
  assert(pos - start === layout.bodySize, 'a record takes exactly the bytes its size was computed as');
  return pos;
}

function attributesOf(options: EncodeBatchOptions): number {
  let attributes = COMPRESSION_CODECS.indexOf(options.compression ?? 'none'); // bits 0-2
  if (options.timestampType === 'log-append-time') attributes |= ATTRIBUTE_TIMESTAMP_TYPE_BIT;
  if (options.isTransactional === true) attributes |= ATTRIBUTE_TRANSACTIONAL_BIT;
  if (options.isControl === true) attributes |= ATTRIBUTE_CONTROL_BIT;
  return attributes;
}

function layoutRecords(records: readonly RecordInput[], baseTimestamp: number): RecordLayout[] {
  const offsetDeltas = offsetDeltasOf(records);
  return records.map((record, index) => {
    const timestampDelta = record.timestampMs - baseTimestamp;
    if (Math.abs(timestampDelta) >= VARLONG_MAGNITUDE_LIMIT) {
      throw invalid(`record ${index} timestamp is too far from the batch's first timestamp`);
    }
    if ((record.headers?.length ?? 0) > RECORD_LIMITS.headersPerRecordMax) {
      throw invalid(`record ${index} has more than ${RECORD_LIMITS.headersPerRecordMax} headers`);
    }
    const offsetDelta = offsetDeltas[index] ?? index;
    return { timestampDelta, offsetDelta, bodySize: recordBodySize(record, timestampDelta, offsetDelta) };
  });
}

function checkOptions(options: EncodeBatchOptions): void {
  const { records } = options;
  if (records.length === 0) throw invalid('a batch needs at least one record');
  const compression = options.compression ?? 'none';
  if (!isSupportedCompression(compression)) {
    throw new RecordBatchError(
      'UNSUPPORTED_COMPRESSION',
      0,
      `cannot encode ${String(compression)} batches; supported codecs are ${SUPPORTED_COMPRESSION.join(', ')}`,
    );
  }
  checkInt(options.baseOffset ?? 0, 'baseOffset', 0, Number.MAX_SAFE_INTEGER);
  checkInt(options.partitionLeaderEpoch ?? NO_PARTITION_LEADER_EPOCH, 'partitionLeaderEpoch', -1, INT32_MAX);
  checkInt(options.producerId ?? NO_PRODUCER_ID, 'producerId', -1, Number.MAX_SAFE_INTEGER);
  checkInt(options.producerEpoch ?? NO_PRODUCER_EPOCH, 'producerEpoch', -1, 0x7fff);
  checkInt(options.baseSequence ?? NO_SEQUENCE, 'baseSequence', -1, INT32_MAX);
  for (const [index, record] of records.entries()) {
    checkInt(record.timestampMs, `record ${index} timestampMs`, -1, Number.MAX_SAFE_INTEGER);
  }
}

/**
 * Encodes one RecordBatch v2 into a fresh buffer, CRC included. With a codec, the records section is
 * compressed as one blob after the plain encoding, and batchLength and the CRC cover the compressed bytes.
 */
export function encodeRecordBatch(options: EncodeBatchOptions): Buffer {
  const plain = encodePlainBatch(options);
  const compression = options.compression ?? 'none';
  if (compression === 'none') return plain;
  assert(isSupportedCompression(compression), 'checkOptions refuses unsupported codecs');
  const blob = compressRecords(compression, plain.subarray(BATCH_HEADER_BYTES));
  const size = BATCH_HEADER_BYTES + blob.length;
  if (size > RECORD_LIMITS.batchBytesMax) {
    throw invalid(
      `the compressed batch takes ${size} bytes, over the limit of ${RECORD_LIMITS.batchBytesMax}`,
    );
  }
  const buf = Buffer.concat([plain.subarray(0, BATCH_HEADER_BYTES), blob], size);
  buf.writeInt32BE(size - LOG_OVERHEAD_BYTES, BATCH_LENGTH_OFFSET);
  buf.writeUInt32BE(crc32c(buf.subarray(CRC_START_OFFSET)), CRC_OFFSET);
  return buf;
}

/** The batch with its records section uncompressed; attributes already name the codec. */
function encodePlainBatch(options: EncodeBatchOptions): Buffer {
  checkOptions(options);
  const { records } = options;
  const baseTimestamp = records[0]?.timestampMs ?? -1;
  // A loop, not Math.max(...records): spreading a large batch would overflow the call stack.
  let maxTimestamp = baseTimestamp;
  for (const record of records) maxTimestamp = Math.max(maxTimestamp, record.timestampMs);
  const layouts = layoutRecords(records, baseTimestamp);
  let size = BATCH_HEADER_BYTES;
  for (const layout of layouts) size += sizeOfVarint(layout.bodySize) + layout.bodySize;
  if (size > RECORD_LIMITS.batchBytesMax) {
    throw invalid(`the batch would take ${size} bytes, over the limit of ${RECORD_LIMITS.batchBytesMax}`);
  }
  const lastOffsetDelta = layouts[layouts.length - 1]?.offsetDelta ?? 0;
  checkInt(
    (options.baseOffset ?? 0) + lastOffsetDelta,
    'baseOffset + lastOffsetDelta',
    0,
    Number.MAX_SAFE_INTEGER,
  );

  const buf = Buffer.allocUnsafe(size);
  writeInt64(buf, BASE_OFFSET_OFFSET, options.baseOffset ?? 0, 'baseOffset');
  buf.writeInt32BE(size - LOG_OVERHEAD_BYTES, BATCH_LENGTH_OFFSET);
  buf.writeInt32BE(options.partitionLeaderEpoch ?? NO_PARTITION_LEADER_EPOCH, PARTITION_LEADER_EPOCH_OFFSET);
  buf.writeInt8(MAGIC_V2, MAGIC_OFFSET);
  buf.writeInt16BE(attributesOf(options), ATTRIBUTES_OFFSET);
  buf.writeInt32BE(lastOffsetDelta, LAST_OFFSET_DELTA_OFFSET);
  writeInt64(buf, BASE_TIMESTAMP_OFFSET, baseTimestamp, 'baseTimestamp');
  writeInt64(buf, MAX_TIMESTAMP_OFFSET, maxTimestamp, 'maxTimestamp');
  writeInt64(buf, PRODUCER_ID_OFFSET, options.producerId ?? NO_PRODUCER_ID, 'producerId');
  buf.writeInt16BE(options.producerEpoch ?? NO_PRODUCER_EPOCH, PRODUCER_EPOCH_OFFSET);
  buf.writeInt32BE(options.baseSequence ?? NO_SEQUENCE, BASE_SEQUENCE_OFFSET);
  buf.writeInt32BE(records.length, RECORD_COUNT_OFFSET);
  let pos = BATCH_HEADER_BYTES;
  for (const [index, record] of records.entries()) {
    const layout = layouts[index];
    assert(layout !== undefined, 'every record has a layout');
    pos = writeRecord(buf, pos, record, layout);
  }
  assert(pos === size, 'the records fill the batch exactly');
  buf.writeUInt32BE(crc32c(buf.subarray(CRC_START_OFFSET)), CRC_OFFSET);
  return buf;
}
