import { type RecordBatchHeader, readBatchHeader } from './batch-header.js';
import { RecordBatchError } from './errors.js';
import {
  ATTRIBUTES_OFFSET,
  BATCH_HEADER_BYTES,
  BATCH_LENGTH_MIN,
  BATCH_LENGTH_OFFSET,
  CRC_OFFSET,
  LAST_OFFSET_DELTA_OFFSET,
  LOG_OVERHEAD_BYTES,
  MAGIC_OFFSET,
  MAGIC_V2,
  RECORD_BYTES_MIN,
  RECORD_COUNT_OFFSET,
  RECORD_LIMITS,
} from './layout.js';

/** Bytes as they arrive from gRPC (Buffer) or elsewhere (Uint8Array), viewed as a Buffer without copying. */
export function asBuffer(bytes: Uint8Array): Buffer {
  return Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

/**
 * Checks the framing of the batch at `position` and returns its total size. A batch cut short by the end
 * of the buffer is 'TRUNCATED' (a torn tail when the buffer is a log's end); a length no batch can have,
 * or the wrong magic, is corruption.
 */
export function checkFraming(buf: Buffer, position: number): number {
  const available = buf.length - position;
  if (available < LOG_OVERHEAD_BYTES) {
    throw new RecordBatchError(
      'TRUNCATED',
      position,
      `only ${available} bytes left, a batch needs at least 61`,
    );
  }
  const batchLength = buf.readInt32BE(position + BATCH_LENGTH_OFFSET);
  const batchLengthMax = RECORD_LIMITS.batchBytesMax - LOG_OVERHEAD_BYTES;
  if (batchLength < BATCH_LENGTH_MIN || batchLength > batchLengthMax) {
    throw new RecordBatchError(
      'BAD_LENGTH',
      position + BATCH_LENGTH_OFFSET,
      `batchLength ${batchLength} is outside [${BATCH_LENGTH_MIN}, ${batchLengthMax}]`,
    );
  }
  if (available > MAGIC_OFFSET) {
    const magic = buf.readInt8(position + MAGIC_OFFSET);
    if (magic !== MAGIC_V2) {
      throw new RecordBatchError(
        'BAD_MAGIC',
        position + MAGIC_OFFSET,
        `magic is ${magic}, expected ${MAGIC_V2}`,
      );
    }
  }
  const size = batchLength + LOG_OVERHEAD_BYTES;
  if (size > available) {
    throw new RecordBatchError(
      'TRUNCATED',
      position,
      `batchLength says the batch takes ${size} bytes but only ${available} are left`,
    );
  }
  return size;
}

/** The stored CRC must match CRC32C over attributes..end. */
export function checkCrc(header: RecordBatchHeader): void {
  const computed = header.computeCrc();
  const stored = header.crc;
  if (computed !== stored) {
    throw new RecordBatchError(
      'CRC_MISMATCH',
      header.position + CRC_OFFSET,
      `stored CRC 0x${stored.toString(16).padStart(8, '0')} but the bytes give 0x${computed.toString(16).padStart(8, '0')}`,
    );
  }
}

/** Header fields that must agree with each other; cheap, and done before anything is allocated for records. */
export function checkHeaderFields(header: RecordBatchHeader): void {
  if (header.compression === undefined) {
    throw new RecordBatchError(
      'UNSUPPORTED_COMPRESSION',
      header.position + ATTRIBUTES_OFFSET,
      `compression codec id ${header.attributes & 0x07} is not a valid codec`,
    );
  }
  const recordCount = header.recordCount;
  // A compressed section may hold far more records than its size suggests, up to what it may inflate to.
  const recordsBytesMax =
    header.compression === 'none'
      ? header.sizeBytes - BATCH_HEADER_BYTES
      : RECORD_LIMITS.decompressedBytesMax;
  const recordCountMax = Math.floor(recordsBytesMax / RECORD_BYTES_MIN);
  if (recordCount < 0 || recordCount > recordCountMax) {
    throw new RecordBatchError(
      'BAD_RECORD_COUNT',
      header.position + RECORD_COUNT_OFFSET,
      `recordCount ${recordCount} cannot fit: a batch of ${header.sizeBytes} bytes holds at most ${recordCountMax}`,
    );
  }
  const lastOffsetDelta = header.lastOffsetDelta;
  if (lastOffsetDelta < 0 || lastOffsetDelta < recordCount - 1) {
    throw new RecordBatchError(
      'BAD_RECORD_COUNT',
      header.position + LAST_OFFSET_DELTA_OFFSET,
      `lastOffsetDelta ${lastOffsetDelta} is below recordCount - 1 = ${recordCount - 1}`,
    );
  }
  // Reading these throws OUT_OF_RANGE when they do not fit in a safe integer.
  if (header.baseOffset < 0) {
    throw new RecordBatchError(
      'OUT_OF_RANGE',
      header.position,
      `baseOffset ${header.baseOffset} is negative`,
    );
  }
  void header.lastOffset;
  void header.baseTimestamp;
  void header.maxTimestamp;
  void header.producerId;
}

/**
 * The broker's check of one batch at `position` (DESIGN §4: header + CRC, records never parsed):
 * framing, magic, lengths, CRC, and header fields. Returns the header view; the batch takes
 * header.sizeBytes bytes from `position`.
 */
export function checkBatchAt(buf: Buffer, position: number): RecordBatchHeader {
  checkFraming(buf, position);
  const header = readBatchHeader(buf, position);
  checkCrc(header);
  checkHeaderFields(header);
  return header;
}
