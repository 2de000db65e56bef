/**
 * Codecs for the records section of a compressed RecordBatch v2. Kafka compresses everything after
 * recordCount as one blob; the 61-byte header stays plain, and the CRC covers the compressed bytes.
 * gzip uses node:zlib; lz4 uses the standard LZ4 frame format (what Kafka writes for magic 2); snappy
 * (snappy.ts) and zstd (zstd.ts) read every framing Kafka clients write. Every codec is synchronous (the
 * native libraries load on first use: native-codecs.ts), and decompression is bounded by
 * RECORD_LIMITS.decompressedBytesMax before anything is inflated.
 */
import { gunzipSync, gzipSync } from 'node:zlib';
import { assertNever } from '@tributary/core';
import { RecordBatchError } from './errors.js';
import { type CompressionCodec, RECORD_LIMITS } from './layout.js';
import { lz4Codec } from './native-codecs.js';
import { compressSnappy, decompressSnappy, snappyDecompressedBytes } from './snappy.js';
import { compressZstd, decompressZstd, zstdFramesBytesBound } from './zstd.js';

/** The codecs this package can write and read: all of Kafka's. */
export const SUPPORTED_COMPRESSION = [
  'none',
  'gzip',
  'snappy',
  'lz4',
  'zstd',
] as const satisfies readonly CompressionCodec[];
export type SupportedCompression = (typeof SUPPORTED_COMPRESSION)[number];

export function isSupportedCompression(codec: string): codec is SupportedCompression {
  return (SUPPORTED_COMPRESSION as readonly string[]).includes(codec);
}

export function compressRecords(codec: SupportedCompression, records: Buffer): Buffer {
  switch (codec) {
    case 'none':
      return records;
    case 'gzip':
      return gzipSync(records);
    case 'snappy':
      return compressSnappy(records);
    case 'lz4':
      return lz4Codec().compressFrameSync(records);
    case 'zstd':
      return compressZstd(records);
    default:
      return assertNever(codec, 'compression codec');
  }
}

const LZ4_FRAME_MAGIC = 0x184d2204;
const LZ4_END_MARK = 0;
const LZ4_UNCOMPRESSED_BLOCK_BIT = 0x8000_0000;
/** BD byte bits 4-6 → the frame's largest block, per the LZ4 frame spec (ids 4-7). */
const LZ4_BLOCK_BYTES_MAX: Readonly<Record<number, number>> = {
  4: 64 << 10,
  5: 256 << 10,
  6: 1 << 20,
  7: 4 << 20,
};

/**
 * An upper bound on what one LZ4 frame decompresses to, found by walking its block headers without
 * decompressing: each block yields at most the frame's block maximum. This is what keeps an lz4 zip bomb
 * from being inflated at all (lz4-napi has no output limit). Throws on a malformed or truncated frame.
 */
export function lz4FrameBytesBound(blob: Buffer, position: number): number {
  const bad = (why: string) => new RecordBatchError('BAD_RECORD', position, `lz4 frame: ${why}`);
  if (blob.length < 7 || blob.readUInt32LE(0) !== LZ4_FRAME_MAGIC) throw bad('missing frame magic');
  const flags = blob.readUInt8(4);
  const blockBytesMax = LZ4_BLOCK_BYTES_MAX[(blob.readUInt8(5) >> 4) & 0x07];
  if (flags >> 6 !== 1 || blockBytesMax === undefined) throw bad('unknown version or block size');
  const hasBlockChecksum = (flags & 0x10) !== 0;
  const hasContentSize = (flags & 0x08) !== 0;
  const hasContentChecksum = (flags & 0x04) !== 0;
  let pos = 4 + 2 + (hasContentSize ? 8 : 0) + (flags & 0x01 ? 4 : 0) + 1;
  let bound = 0;
  for (;;) {
    if (pos + 4 > blob.length) throw bad('truncated before the end mark');
    const word = blob.readUInt32LE(pos);
    pos += 4;
    if (word === LZ4_END_MARK) break;
    const size = (word & ~LZ4_UNCOMPRESSED_BLOCK_BIT) >>> 0;
    if (size > blockBytesMax) throw bad(`block of ${size} bytes exceeds the frame's ${blockBytesMax}`);
    pos += size + (hasBlockChecksum ? 4 : 0);
    bound += blockBytesMax;
    // Stop early: the bound only needs to show the frame is over the limit.
    if (bound > RECORD_LIMITS.decompressedBytesMax) return bound;
  }
  if (pos + (hasContentChecksum ? 4 : 0) !== blob.length) {
    throw bad('bytes after the frame, or a truncated block');
  }
  return bound;
}

function tooLarge(position: number, codec: CompressionCodec): RecordBatchError {
  return new RecordBatchError(
    'BAD_LENGTH',
    position,
    `${codec} records decompress to more than RECORD_LIMITS.decompressedBytesMax (${RECORD_LIMITS.decompressedBytesMax} bytes)`,
  );
}

type Compressed = Exclude<CompressionCodec, 'none'>;

/**
 * An upper bound on the codec's output, computed without inflating (gzip has none: zlib stops at
 * maxOutputLength instead). Throws a RecordBatchError naming the codec on a malformed framing.
 */
function decompressedBytesBound(codec: Compressed, blob: Buffer, position: number): number {
  switch (codec) {
    case 'gzip':
      return 0;
    case 'snappy':
      return snappyDecompressedBytes(blob, position);
    case 'lz4':
      return lz4FrameBytesBound(blob, position);
    case 'zstd':
      return zstdFramesBytesBound(blob, position);
    default:
      return assertNever(codec, 'compression codec');
  }
}

function inflateUnchecked(codec: Compressed, blob: Buffer, position: number): Buffer {
  switch (codec) {
    case 'gzip':
      return gunzipSync(blob, { maxOutputLength: RECORD_LIMITS.decompressedBytesMax });
    case 'snappy':
      return decompressSnappy(blob, position);
    case 'lz4':
      return lz4Codec().decompressFrameSync(blob);
    case 'zstd':
      return decompressZstd(blob);
    default:
      return assertNever(codec, 'compression codec');
  }
}

function inflate(codec: Compressed, blob: Buffer, position: number): Buffer {
  if (decompressedBytesBound(codec, blob, position) > RECORD_LIMITS.decompressedBytesMax) {
    throw tooLarge(position, codec);
  }
  try {
    return inflateUnchecked(codec, blob, position);
  } catch (cause) {
    if (cause instanceof RecordBatchError) throw cause;
    if ((cause as { code?: unknown }).code === 'ERR_BUFFER_TOO_LARGE') throw tooLarge(position, codec);
    throw new RecordBatchError(
      'BAD_RECORD',
      position,
      `${codec} records do not decompress (${String(cause)})`,
    );
  }
}

/**
 * The plain records section of a batch whose compressed section is `blob` (starting at `position` in
 * the batch's buffer, for error messages). Refuses any output over RECORD_LIMITS.decompressedBytesMax,
 * before inflating where the codec's framing tells the size (all but gzip, which zlib stops instead).
 */
export function decompressRecords(codec: CompressionCodec, blob: Buffer, position: number): Buffer {
  if (codec === 'none') return blob;
  const records = inflate(codec, blob, position);
  if (records.length > RECORD_LIMITS.decompressedBytesMax) throw tooLarge(position, codec);
  return records;
}
