/**
 * zstd for RecordBatch v2 records sections (frames per RFC 8878). Kafka clients write one or more
 * frames, often without a content size in the header (the Java client's zstd-jni streaming output).
 *
 * Library: `@toondepauw/node-zstd` (napi-rs around libzstd, prebuilt binaries shipped as
 * optional-dependency packages, no install script). It is the candidate with a synchronous API, which
 * keeps encodeRecordBatch/decodeRecordBatch synchronous, and its decoder is libzstd's streaming one, so
 * frames without a content size and concatenated (and skippable) frames decode. The others:
 * `@mongodb-js/zstd` 1.x is napi-rs too but async-only (2.x and later download binaries in an install
 * script); `zstd-napi` compiles in an install script; `@bokuweb/zstd-wasm` is synchronous only after an
 * async init that callers could observe, and `zstd-codec` is an unmaintained Emscripten build;
 * `fzstd` decodes only (pure JS, ~6x slower here), so it serves as the tests' independent decoder.
 *
 * The decoder has no output limit, so zstdFramesBytesBound walks frame and block headers first, as
 * the lz4 path does, and the caller refuses a zip bomb before anything is inflated.
 */
import { RecordBatchError } from './errors.js';
import { RECORD_LIMITS } from './layout.js';
import { zstdCodec } from './native-codecs.js';

/** Kafka's default compression.zstd.level (and libzstd's). */
const ZSTD_LEVEL = 3;
const ZSTD_FRAME_MAGIC = 0xfd2fb528;
/** RFC 8878 §3.1.2: skippable frames use magics 0x184D2A50-0x184D2A5F and carry no content. */
const SKIPPABLE_MAGIC_BASE = 0x184d2a50;
const SKIPPABLE_MAGIC_MASK = 0xfffffff0;
/** RFC 8878 §3.1.1.2: Block_Maximum_Size = min(Window_Size, 128 KiB). */
const BLOCK_BYTES_MAX = 128 << 10;
const BLOCK_HEADER_BYTES = 3;
const CHECKSUM_BYTES = 4;
const BLOCK_TYPE_RAW = 0;
const BLOCK_TYPE_RLE = 1;
const BLOCK_TYPE_COMPRESSED = 2;

/** One frame (no content size in its header: libzstd's streaming encoder, as the Java client). */
export function compressZstd(records: Buffer): Buffer {
  return zstdCodec(ZSTD_LEVEL).encoder.encodeSync(records);
}

/** Decompresses every frame of the blob. Call only after zstdFramesBytesBound accepted the size. */
export function decompressZstd(blob: Buffer): Buffer {
  return zstdCodec(ZSTD_LEVEL).decoder.decodeSync(blob);
}

type Malformed = (why: string) => RecordBatchError;

interface FrameHeader {
  /** Where the first block header starts. */
  readonly end: number;
  /** Frame_Content_Size when the header has one; libzstd refuses a frame whose output differs. */
  readonly contentBytes: number | undefined;
  readonly blockBytesMax: number;
  readonly hasChecksum: boolean;
}

const DICTIONARY_ID_BYTES = [0, 1, 2, 4] as const;
const CONTENT_SIZE_BYTES = [0, 2, 4, 8] as const;

function readContentSize(blob: Buffer, pos: number, bytes: number): number {
  if (bytes === 1) return blob.readUInt8(pos);
  if (bytes === 2) return blob.readUInt16LE(pos) + 256; // RFC 8878 §3.1.1.1.4: 2-byte sizes are offset
  if (bytes === 4) return blob.readUInt32LE(pos);
  return Number(blob.readBigUInt64LE(pos)); // rounding past 2^53 is harmless: it is over any limit
}

/** RFC 8878 §3.1.1.1: magic (already read), descriptor, window, dictionary id, content size. */
function readFrameHeader(blob: Buffer, start: number, bad: Malformed): FrameHeader {
  const descriptor = blob[start];
  if (descriptor === undefined) throw bad('truncated frame header');
  if ((descriptor & 0x08) !== 0) throw bad('reserved frame header bit set');
  const singleSegment = (descriptor & 0x20) !== 0;
  const dictionaryIdBytes = DICTIONARY_ID_BYTES[descriptor & 0x03] ?? 0;
  const flag = CONTENT_SIZE_BYTES[descriptor >> 6] ?? 0;
  const contentSizeBytes = flag === 0 && singleSegment ? 1 : flag;
  let pos = start + 1;
  const headerEnd = pos + (singleSegment ? 0 : 1) + dictionaryIdBytes + contentSizeBytes;
  if (headerEnd > blob.length) throw bad('truncated frame header');
  let windowBytes = Number.POSITIVE_INFINITY;
  if (!singleSegment) {
    const windowDescriptor = blob.readUInt8(pos++);
    const windowBase = 2 ** (10 + (windowDescriptor >> 3));
    windowBytes = windowBase + (windowBase / 8) * (windowDescriptor & 0x07);
  }
  if (dictionaryIdBytes > 0 && blob.readUIntLE(pos, dictionaryIdBytes) !== 0) {
    throw bad('frame needs a dictionary (Kafka clients use none)');
  }
  pos += dictionaryIdBytes;
  const contentBytes = contentSizeBytes > 0 ? readContentSize(blob, pos, contentSizeBytes) : undefined;
  // A single-segment frame's window is its content (§3.1.1.1.2).
  if (singleSegment && contentBytes !== undefined) windowBytes = contentBytes;
  return {
    end: headerEnd,
    contentBytes,
    blockBytesMax: Math.min(windowBytes, BLOCK_BYTES_MAX),
    hasChecksum: (descriptor & 0x04) !== 0,
  };
}

interface FrameBlocks {
  /** Where the frame ends (after its checksum). */
  readonly end: number;
  readonly bound: number;
}

/**
 * Walks a frame's blocks (§3.1.1.2) from `start`: raw and RLE blocks regenerate exactly their
 * Block_Size, a compressed block at most Block_Maximum_Size. Returns where the frame ends and that bound.
 */
function walkBlocks(blob: Buffer, start: number, header: FrameHeader, bad: Malformed): FrameBlocks {
  let pos = start;
  let bound = 0;
  for (;;) {
    if (pos + BLOCK_HEADER_BYTES > blob.length) throw bad('truncated before the last block');
    const word = blob.readUIntLE(pos, BLOCK_HEADER_BYTES);
    pos += BLOCK_HEADER_BYTES;
    const isLast = (word & 1) === 1;
    const type = (word >> 1) & 0x03;
    const size = word >>> 3;
    if (size > header.blockBytesMax) {
      throw bad(`block of ${size} bytes exceeds the frame's block maximum of ${header.blockBytesMax}`);
    }
    if (type === BLOCK_TYPE_RAW || type === BLOCK_TYPE_COMPRESSED) pos += size;
    else if (type === BLOCK_TYPE_RLE) pos += 1;
    else throw bad('reserved block type');
    if (pos > blob.length) throw bad('truncated block');
    bound += type === BLOCK_TYPE_COMPRESSED ? header.blockBytesMax : size;
    if (isLast) break;
    // Stop early: the bound only needs to show the frame is over the limit.
    if (bound > RECORD_LIMITS.decompressedBytesMax) return { end: pos, bound };
  }
  const end = pos + (header.hasChecksum ? CHECKSUM_BYTES : 0);
  if (end > blob.length) throw bad('truncated content checksum');
  return { end, bound };
}

/**
 * An upper bound on what a zstd records section decompresses to, found without decompressing: per
 * frame, the smaller of its declared content size and the sum over its blocks. Throws on a malformed
 * or truncated frame, a dictionary frame, or bytes after the last frame; returns early once the bound
 * passes RECORD_LIMITS.decompressedBytesMax.
 *
 * The window a frame declares is not bounded here: libzstd refuses windows over 128 MiB by default, and
 * a legitimate Java producer at level 22 declares one that large; the memory it touches is the output,
 * which this bound limits.
 */
export function zstdFramesBytesBound(blob: Buffer, position: number): number {
  const bad: Malformed = (why) => new RecordBatchError('BAD_RECORD', position, `zstd frame: ${why}`);
  if (blob.length === 0) throw bad('no frame');
  let pos = 0;
  let total = 0;
  while (pos < blob.length) {
    if (pos + 4 > blob.length) throw bad('truncated frame magic');
    const magic = blob.readUInt32LE(pos);
    if ((magic & SKIPPABLE_MAGIC_MASK) >>> 0 === SKIPPABLE_MAGIC_BASE) {
      if (pos + 8 > blob.length) throw bad('truncated skippable frame');
      pos += 8 + blob.readUInt32LE(pos + 4);
      if (pos > blob.length) throw bad('truncated skippable frame');
      continue;
    }
    if (magic !== ZSTD_FRAME_MAGIC) throw bad('missing frame magic');
    const header = readFrameHeader(blob, pos + 4, bad);
    if (header.contentBytes !== undefined && header.contentBytes > RECORD_LIMITS.decompressedBytesMax) {
      return header.contentBytes;
    }
    const blocks = walkBlocks(blob, header.end, header, bad);
    total += Math.min(header.contentBytes ?? Number.POSITIVE_INFINITY, blocks.bound);
    if (total > RECORD_LIMITS.decompressedBytesMax) return total;
    pos = blocks.end;
  }
  return total;
}
