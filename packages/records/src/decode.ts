import { assert } from '@tributary/core';
import type { RecordBatchHeader } from './batch-header.js';
import { decompressRecords } from './compression.js';
import { RecordBatchError } from './errors.js';
import { type CompressionCodec, RECORD_LIMITS, RECORDS_OFFSET, type TimestampType } from './layout.js';
import { asBuffer, checkBatchAt } from './validate.js';
import { ByteReader } from './varint.js';

export interface DecodedHeader {
  readonly key: string;
  readonly value: Uint8Array | null;
}

/** A record; key, value and header values are views into the decoded buffer (not copies). */
export interface DecodedRecord {
  /** baseOffset + offsetDelta. */
  readonly offset: number;
  readonly offsetDelta: number;
  /**
   * baseTimestamp + timestampDelta for create-time batches; for log-append-time batches every record
   * carries the batch's maxTimestamp (the broker's append time), as in Kafka's DefaultRecordBatch.
   */
  readonly timestampMs: number;
  readonly attributes: number;
  readonly key: Uint8Array | null;
  readonly value: Uint8Array | null;
  readonly headers: readonly DecodedHeader[];
}

export interface DecodedBatch {
  readonly baseOffset: number;
  readonly batchLength: number;
  readonly partitionLeaderEpoch: number;
  readonly magic: number;
  readonly crc: number;
  readonly attributes: number;
  readonly compression: CompressionCodec;
  readonly timestampType: TimestampType;
  readonly isTransactional: boolean;
  readonly isControl: boolean;
  readonly lastOffsetDelta: number;
  readonly baseTimestamp: number;
  readonly maxTimestamp: number;
  readonly producerId: number;
  readonly producerEpoch: number;
  readonly baseSequence: number;
  readonly recordCount: number;
  readonly records: readonly DecodedRecord[];
}

const utf8 = new TextDecoder('utf-8', { fatal: true });

function readNullableBytes(reader: ByteReader, what: string): Buffer | null {
  const start = reader.position;
  const length = reader.readVarint(`${what} length`);
  if (length === -1) return null;
  if (length < -1) throw new RecordBatchError('BAD_RECORD', start, `${what} length ${length} is below -1`);
  return reader.readBytes(length, what);
}

function readHeader(reader: ByteReader): DecodedHeader {
  const start = reader.position;
  const keyLength = reader.readVarint('header key length');
  if (keyLength < 0) {
    throw new RecordBatchError('BAD_RECORD', start, `header key length ${keyLength}: keys cannot be null`);
  }
  const keyBytes = reader.readBytes(keyLength, 'header key');
  let key: string;
  try {
    key = utf8.decode(keyBytes);
  } catch (cause) {
    throw new RecordBatchError('BAD_RECORD', start, `header key is not valid UTF-8 (${String(cause)})`);
  }
  return { key, value: readNullableBytes(reader, 'header value') };
}

function readHeaders(reader: ByteReader): DecodedHeader[] {
  const start = reader.position;
  const count = reader.readVarint('headers count');
  // Each header takes at least two bytes (key length and value length).
  if (count < 0 || count > RECORD_LIMITS.headersPerRecordMax || count * 2 > reader.remaining()) {
    throw new RecordBatchError('BAD_RECORD', start, `headers count ${count} cannot fit in the record`);
  }
  const headers: DecodedHeader[] = [];
  for (let i = 0; i < count; i++) headers.push(readHeader(reader));
  return headers;
}

interface RecordContext {
  readonly baseOffset: number;
  readonly baseTimestamp: number;
  /** Set for log-append-time batches: overrides each record's own timestamp. */
  readonly logAppendTime: number | undefined;
  readonly lastOffsetDelta: number;
  readonly previousOffsetDelta: number;
}

function readRecord(outer: ByteReader, context: RecordContext): DecodedRecord {
  const start = outer.position;
  const length = outer.readVarint('record length');
  if (length < 0 || length > outer.remaining()) {
    throw new RecordBatchError(
      'BAD_RECORD',
      start,
      `record length ${length} exceeds the ${outer.remaining()} bytes left`,
    );
  }
  const reader = new ByteReader(outer.buf, outer.position, outer.position + length);
  const attributes = reader.readInt8('record attributes');
  const timestampMs = context.baseTimestamp + reader.readVarlong('timestampDelta');
  const deltaPosition = reader.position;
  const offsetDelta = reader.readVarint('offsetDelta');
  if (offsetDelta <= context.previousOffsetDelta || offsetDelta > context.lastOffsetDelta) {
    throw new RecordBatchError(
      'BAD_RECORD',
      deltaPosition,
      `offsetDelta ${offsetDelta} must exceed ${context.previousOffsetDelta} and not exceed lastOffsetDelta ${context.lastOffsetDelta}`,
    );
  }
  if (!Number.isSafeInteger(timestampMs)) {
    throw new RecordBatchError(
      'OUT_OF_RANGE',
      start,
      `record timestamp ${timestampMs} is not a safe integer`,
    );
  }
  const key = readNullableBytes(reader, 'key');
  const value = readNullableBytes(reader, 'value');
  const headers = readHeaders(reader);
  if (reader.remaining() !== 0) {
    throw new RecordBatchError(
      'BAD_RECORD',
      start,
      `record length ${length} leaves ${reader.remaining()} unread bytes`,
    );
  }
  outer.position = reader.position;
  const offset = context.baseOffset + offsetDelta;
  return {
    offset,
    offsetDelta,
    timestampMs: context.logAppendTime ?? timestampMs,
    attributes,
    key,
    value,
    headers,
  };
}

/** A reader over the batch's plain records section, decompressing it first (bounded) if needed. */
function recordsReader(header: RecordBatchHeader): ByteReader {
  const compression = header.compression;
  assert(compression !== undefined, 'checkBatchAt refuses invalid compression codecs before decoding');
  const start = header.position + RECORDS_OFFSET;
  const end = header.position + header.sizeBytes;
  if (compression === 'none') return new ByteReader(header.buf, start, end);
  // Positions in errors from here on are within the decompressed records section.
  const plain = decompressRecords(compression, header.buf.subarray(start, end), start);
  return new ByteReader(plain, 0, plain.length);
}

/**
 * Parses every record of a validated batch, decompressing compressed sections; the count must match
 * recordCount exactly.
 */
export function decodeRecords(header: RecordBatchHeader): DecodedRecord[] {
  const reader = recordsReader(header);
  const recordCount = header.recordCount;
  const context = {
    baseOffset: header.baseOffset,
    baseTimestamp: header.baseTimestamp,
    logAppendTime: header.timestampType === 'log-append-time' ? header.maxTimestamp : undefined,
    lastOffsetDelta: header.lastOffsetDelta,
    previousOffsetDelta: -1,
  };
  const records: DecodedRecord[] = [];
  for (let i = 0; i < recordCount; i++) {
    if (reader.remaining() === 0) {
      throw new RecordBatchError(
        'BAD_RECORD_COUNT',
        reader.position,
        `recordCount is ${recordCount} but the batch holds ${i}`,
      );
    }
    const record = readRecord(reader, context);
    context.previousOffsetDelta = record.offsetDelta;
    records.push(record);
  }
  if (reader.remaining() !== 0) {
    throw new RecordBatchError(
      'BAD_RECORD_COUNT',
      reader.position,
      `${reader.remaining()} bytes follow the last of recordCount ${recordCount} records`,
    );
  }
  return records;
}

export interface ValidateOptions {
  /** Also parse every record and check recordCount against them. Default false (header + CRC only). */
  readonly deep?: boolean | undefined;
}

function checkWholeBuffer(buf: Buffer, header: RecordBatchHeader): void {
  if (header.sizeBytes !== buf.length) {
    throw new RecordBatchError(
      'BAD_LENGTH',
      header.sizeBytes,
      `the buffer holds ${buf.length} bytes but the batch takes ${header.sizeBytes}; use splitBatches for several`,
    );
  }
}

/**
 * Validates a buffer holding exactly one batch (a produce request's payload). Cheap by default: magic,
 * lengths, CRC and header fields; `deep` also parses the records. Throws RecordBatchError
 * (code INVALID_REQUEST) naming the problem; returns the header view for stamping.
 */
export function validateBatch(bytes: Uint8Array, options: ValidateOptions = {}): RecordBatchHeader {
  const buf = asBuffer(bytes);
  const header = checkBatchAt(buf, 0);
  checkWholeBuffer(buf, header);
  if (options.deep === true) decodeRecords(header);
  return header;
}

/** Decodes a buffer holding exactly one batch, validating everything (CRC, lengths, every record). */
export function decodeRecordBatch(bytes: Uint8Array): DecodedBatch {
  const buf = asBuffer(bytes);
  const header = checkBatchAt(buf, 0);
  checkWholeBuffer(buf, header);
  return decodeHeaderAndRecords(header);
}

export function decodeHeaderAndRecords(header: RecordBatchHeader): DecodedBatch {
  const compression = header.compression;
  assert(compression !== undefined, 'checkBatchAt refuses invalid compression codecs before decoding');
  return {
    baseOffset: header.baseOffset,
    batchLength: header.batchLength,
    partitionLeaderEpoch: header.partitionLeaderEpoch,
    magic: header.magic,
    crc: header.crc,
    attributes: header.attributes,
    compression,
    timestampType: header.timestampType,
    isTransactional: header.isTransactional,
    isControl: header.isControl,
    lastOffsetDelta: header.lastOffsetDelta,
    baseTimestamp: header.baseTimestamp,
    maxTimestamp: header.maxTimestamp,
    producerId: header.producerId,
    producerEpoch: header.producerEpoch,
    baseSequence: header.baseSequence,
    recordCount: header.recordCount,
    records: decodeRecords(header),
  };
}
