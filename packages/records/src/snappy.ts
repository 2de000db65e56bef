/**
 * Snappy for RecordBatch v2 records sections, as Kafka clients write it: either one raw snappy block
 * (librdkafka, KafkaJS's snappy codecs, @platformatic/kafka) or snappy-java's "xerial" stream (the Java
 * client's SnappyOutputStream): the 8-byte magic 0x82 'SNAPPY' 0x00, a version int32 and a
 * minimum-compatible-version int32, then chunks of [int32 big-endian length][raw snappy block].
 *
 * Library: `snappy` (napi-rs, prebuilt binaries shipped as optional-dependency packages, no install
 * script, synchronous compressSync/uncompressSync). It knows only raw blocks (its streaming API is
 * Google's other framing format, not xerial), so the xerial chunking is walked here.
 *
 * We write raw snappy, not xerial framing: every client Tributary must serve reads raw (librdkafka and
 * kafkajs-snappy test for the xerial magic and fall back to raw; the Java client's SnappyInputStream
 * falls back to raw when the magic is absent, which is how Java consumers read librdkafka's batches),
 * while @platformatic/kafka's codec is a bare `uncompressSync` that cannot read xerial framing.
 */
import { assert } from '@tributary/core';
import { RecordBatchError } from './errors.js';
import { snappyCodec } from './native-codecs.js';

/** snappy-java's SnappyCodec.MAGIC_HEADER. */
const XERIAL_MAGIC = Buffer.from([0x82, 0x53, 0x4e, 0x41, 0x50, 0x50, 0x59, 0x00]);
/** Magic, version int32, minimum-compatible-version int32. */
export const XERIAL_HEADER_BYTES = 16;
const XERIAL_CHUNK_LENGTH_BYTES = 4;
/** A raw block's preamble is the uncompressed length as a little-endian base-128 varint of ≤ 32 bits. */
const PREAMBLE_BYTES_MAX = 5;

export function compressSnappy(records: Buffer): Buffer {
  return snappyCodec().compressSync(records);
}

export function isXerialFramed(blob: Buffer): boolean {
  return blob.length >= XERIAL_HEADER_BYTES && blob.subarray(0, XERIAL_MAGIC.length).equals(XERIAL_MAGIC);
}

function malformed(position: number, why: string): RecordBatchError {
  return new RecordBatchError('BAD_RECORD', position, `snappy records: ${why}`);
}

/** The uncompressed length a raw block declares in its preamble; snappy checks the output matches it. */
export function snappyBlockBytes(block: Buffer, position: number): number {
  let length = 0;
  for (let i = 0; i < PREAMBLE_BYTES_MAX; i++) {
    const byte = block[i];
    if (byte === undefined) throw malformed(position, 'truncated length preamble');
    length += (byte & 0x7f) * 2 ** (7 * i);
    if ((byte & 0x80) === 0) {
      if (length > 0xffff_ffff) throw malformed(position, 'length preamble over 32 bits');
      return length;
    }
  }
  throw malformed(position, 'length preamble over 5 bytes');
}

/** The raw blocks of a xerial stream, in order. Throws on a truncated chunk. */
function xerialChunks(blob: Buffer, position: number): Buffer[] {
  const chunks: Buffer[] = [];
  let pos = XERIAL_HEADER_BYTES;
  while (pos < blob.length) {
    if (pos + XERIAL_CHUNK_LENGTH_BYTES > blob.length) {
      throw malformed(position, `xerial chunk ${chunks.length} has a truncated length`);
    }
    const length = blob.readInt32BE(pos);
    pos += XERIAL_CHUNK_LENGTH_BYTES;
    if (length <= 0 || pos + length > blob.length) {
      throw malformed(position, `xerial chunk ${chunks.length} of ${length} bytes does not fit the batch`);
    }
    chunks.push(blob.subarray(pos, pos + length));
    pos += length;
  }
  return chunks;
}

/**
 * What a snappy records section decompresses to, read from the blocks' preambles without
 * decompressing anything: the caller refuses a zip bomb before snappy allocates its output (snappy
 * allocates what the preamble says, so an unchecked 4 GiB preamble would be a 4 GiB allocation).
 */
export function snappyDecompressedBytes(blob: Buffer, position: number): number {
  if (!isXerialFramed(blob)) return snappyBlockBytes(blob, position);
  let total = 0;
  for (const chunk of xerialChunks(blob, position)) total += snappyBlockBytes(chunk, position);
  return total;
}

function uncompressBlock(block: Buffer): Buffer {
  const out = snappyCodec().uncompressSync(block, { asBuffer: true });
  // The union in snappy's type is for asBuffer: false; with true it always returns a Buffer.
  assert(typeof out !== 'string', 'snappy returns a Buffer when asked for one');
  return out;
}

/**
 * Decompresses raw or xerial-framed snappy. Call only after snappyDecompressedBytes accepted the
 * size: each block is allocated at its preamble's length. Throws snappy's own errors on corrupt blocks.
 */
export function decompressSnappy(blob: Buffer, position: number): Buffer {
  if (!isXerialFramed(blob)) return uncompressBlock(blob);
  const parts = xerialChunks(blob, position).map(uncompressBlock);
  return parts.length === 1 && parts[0] !== undefined ? parts[0] : Buffer.concat(parts);
}
