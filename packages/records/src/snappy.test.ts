import * as SnappyJS from 'snappyjs';
import { describe, expect, it } from 'vitest';
import { decompressRecords } from './compression.js';
import { decodeRecordBatch } from './decode.js';
import { encodeRecordBatch } from './encode.js';
import { RECORD_LIMITS } from './layout.js';
import { compressSnappy, isXerialFramed, XERIAL_HEADER_BYTES } from './snappy.js';
import {
  batchErrorOf,
  expectBytes,
  plainRecordsSection,
  readHexFixture,
  textRecords,
  withBlob,
} from './testing.js';

/** snappy-java's SnappyOutputStream default: Kafka's Java client compresses 32 KiB at a time. */
const XERIAL_BLOCK_BYTES = 32 * 1024;

/** A xerial stream: magic, version 1, compatible version 1, then [int32 length][raw block] chunks. */
function xerialStream(blocks: readonly Buffer[]): Buffer {
  const header = Buffer.alloc(XERIAL_HEADER_BYTES);
  Buffer.from([0x82, 0x53, 0x4e, 0x41, 0x50, 0x50, 0x59, 0x00]).copy(header);
  header.writeInt32BE(1, 8);
  header.writeInt32BE(1, 12);
  const chunks = blocks.flatMap((block) => {
    const length = Buffer.alloc(4);
    length.writeInt32BE(block.length);
    return [length, block];
  });
  return Buffer.concat([header, ...chunks]);
}

/** What SnappyOutputStream writes for `plain`, with snappyjs (an independent implementation) per block. */
function xerialOf(plain: Buffer, blockBytes = XERIAL_BLOCK_BYTES): Buffer {
  const blocks: Buffer[] = [];
  for (let pos = 0; pos < plain.length; pos += blockBytes) {
    blocks.push(SnappyJS.compress(plain.subarray(pos, pos + blockBytes)));
  }
  return xerialStream(blocks);
}

const records = textRecords(400, 100, 12);
const plain = plainRecordsSection(records);

function snappyError(blob: Buffer): string {
  const error = batchErrorOf(() => decompressRecords('snappy', blob, 61));
  expect(error, 'decompression must fail').toBeDefined();
  return `${error?.problem}: ${error?.message}`;
}

describe('snappy records', () => {
  it('are written as one raw block that an independent implementation (snappyjs) reads', () => {
    const batch = encodeRecordBatch({ records, compression: 'snappy' });
    const blob = batch.subarray(61);
    expect(isXerialFramed(blob)).toBe(false);
    expectBytes(SnappyJS.uncompress(blob), plain);
    expect(decodeRecordBatch(batch).records).toHaveLength(400);
  });

  it('read raw blocks from another implementation (as librdkafka and KafkaJS write them)', () => {
    expectBytes(decompressRecords('snappy', SnappyJS.compress(plain), 61), plain);
    const batch = withBlob('snappy', SnappyJS.compress(plain), 400);
    expect(decodeRecordBatch(batch).records.map((r) => r.value)).toEqual(records.map((r) => r.value));
  });

  it('read xerial framing with one chunk, several chunks and no chunk at all', () => {
    expectBytes(decompressRecords('snappy', xerialOf(plain, plain.length), 61), plain);
    const chunked = xerialOf(plain);
    expect(chunked.readInt32BE(XERIAL_HEADER_BYTES)).toBeGreaterThan(0); // first chunk's length
    expectBytes(decompressRecords('snappy', chunked, 61), plain);
    expectBytes(decompressRecords('snappy', xerialOf(plain, 1_000), 61), plain);
    expect(decompressRecords('snappy', xerialStream([]), 61)).toEqual(Buffer.alloc(0));
  });

  it("read what the Java client's SnappyOutputStream wrote (testdata/compression, library output)", () => {
    const blob = readHexFixture('compression/java-snappy-xerial.hex');
    expect(isXerialFramed(blob)).toBe(true);
    expectBytes(decompressRecords('snappy', blob, 61), plain);
    const decoded = decodeRecordBatch(withBlob('snappy', blob, 400));
    expect(decoded.records.map((r) => r.value)).toEqual(records.map((r) => r.value));
  });

  it('refuse a raw block whose preamble claims more than decompressedBytesMax, before allocating', () => {
    // 0xff 0xff 0xff 0xff 0x0f: a 4 GiB - 1 preamble; snappy would allocate it before decoding.
    const forged = Buffer.from([0xff, 0xff, 0xff, 0xff, 0x0f, 0x00, 0x00]);
    expect(snappyError(forged)).toMatch(/^BAD_LENGTH: .*snappy records decompress to more than/);
    const bomb = compressSnappy(Buffer.alloc(RECORD_LIMITS.decompressedBytesMax + 1));
    expect(snappyError(bomb)).toMatch(/^BAD_LENGTH: .*decompressedBytesMax/);
  });

  it('refuse xerial chunks that add up to more than decompressedBytesMax', () => {
    const mebibyte = compressSnappy(Buffer.alloc(1 << 20));
    const chunks = RECORD_LIMITS.decompressedBytesMax / (1 << 20);
    const atLimit = xerialStream(Array.from({ length: chunks }, () => mebibyte));
    expect(decompressRecords('snappy', atLimit, 61)).toHaveLength(RECORD_LIMITS.decompressedBytesMax);
    const overLimit = xerialStream(Array.from({ length: chunks + 1 }, () => mebibyte));
    expect(snappyError(overLimit)).toMatch(/^BAD_LENGTH: .*snappy/);
  });

  it('refuse truncated or garbled input with a RecordBatchError naming snappy', () => {
    const good = xerialOf(plain);
    const firstChunkEnd = XERIAL_HEADER_BYTES + 4 + good.readInt32BE(XERIAL_HEADER_BYTES);
    const cases: ReadonlyArray<readonly [string, Buffer, RegExp]> = [
      ['a bad preamble', Buffer.from([0x80, 0x80, 0x80, 0x80, 0x80, 0x01]), /over 5 bytes/],
      ['a cut preamble', Buffer.from([0x80]), /truncated length preamble/],
      ['garbage', Buffer.from('not snappy at all'), /snappy records do not decompress/],
      ['a cut raw block', compressSnappy(plain).subarray(0, 100), /snappy records do not decompress/],
      ['a cut chunk length', good.subarray(0, firstChunkEnd + 2), /chunk 1 has a truncated length/],
      ['a cut chunk', good.subarray(0, good.length - 1), /chunk 1 of \d+ bytes does not fit/],
      ['a zero-length chunk', xerialStream([Buffer.alloc(0)]), /chunk 0 of 0 bytes/],
      ['a garbled chunk', xerialStream([Buffer.from('\x05garbage')]), /snappy records do not decompress/],
    ];
    for (const [name, blob, message] of cases) {
      expect(snappyError(blob), name).toMatch(/^BAD_RECORD: .*snappy/);
      expect(snappyError(blob), name).toMatch(message);
    }
  });

  it('refuse a block that inflates to less than its preamble says', () => {
    const block = Buffer.from(SnappyJS.compress(Buffer.from('hello')));
    block[0] = 10; // the preamble now claims 10 bytes
    expect(snappyError(block)).toMatch(/^BAD_RECORD: .*snappy records do not decompress/);
  });
});
