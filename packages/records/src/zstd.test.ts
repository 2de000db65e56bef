import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { decompress as fzstdDecompress } from 'fzstd';
import { describe, expect, it } from 'vitest';
import { decompressRecords } from './compression.js';
import { decodeRecordBatch } from './decode.js';
import { encodeRecordBatch } from './encode.js';
import { RECORD_LIMITS } from './layout.js';
import {
  batchErrorOf,
  expectBytes,
  plainRecordsSection,
  readHexFixture,
  textRecords,
  withBlob,
} from './testing.js';
import { compressZstd } from './zstd.js';

// Frames assembled by hand from RFC 8878 §3.1.1: magic, header descriptor, window descriptor, content
// size, then blocks with 3-byte little-endian headers (bit 0 last, bits 1-2 type, bits 3-23 size).
const MAGIC = Buffer.from([0x28, 0xb5, 0x2f, 0xfd]);
type Block = { readonly raw: Buffer } | { readonly rle: number; readonly size: number };

function blockBytes(block: Block, isLast: boolean): Buffer {
  const [type, size, body] =
    'raw' in block ? [0, block.raw.length, block.raw] : [1, block.size, Buffer.from([block.rle])];
  const header = Buffer.alloc(3);
  header.writeUIntLE((size << 3) | (type << 1) | (isLast ? 1 : 0), 0, 3);
  return Buffer.concat([header, body]);
}

/** FCS field per §3.1.1.1.4: 1 byte (single segment only), 2 bytes (minus 256), 4 or 8 bytes. */
function contentSizeField(size: number, singleSegment: boolean): [flag: number, field: Buffer] {
  if (singleSegment && size < 256) return [0, Buffer.from([size])];
  const field = Buffer.alloc(size < 65_536 + 256 && size >= 256 ? 2 : size < 2 ** 32 ? 4 : 8);
  if (field.length === 2) field.writeUInt16LE(size - 256);
  else if (field.length === 4) field.writeUInt32LE(size);
  else field.writeBigUInt64LE(BigInt(size));
  return [{ 2: 1, 4: 2, 8: 3 }[field.length] ?? 0, field];
}

interface FrameOptions {
  readonly blocks: readonly Block[];
  readonly contentSize?: number;
  readonly singleSegment?: boolean;
  /** Ignored for single-segment frames, whose window is their content. */
  readonly windowLog?: number;
}

function frame(options: FrameOptions): Buffer {
  const single = options.singleSegment === true;
  const [flag, field] =
    options.contentSize === undefined ? [0, Buffer.alloc(0)] : contentSizeField(options.contentSize, single);
  const descriptor = Buffer.from([(flag << 6) | (single ? 0x20 : 0)]);
  const window = single ? Buffer.alloc(0) : Buffer.from([((options.windowLog ?? 20) - 10) << 3]);
  const blocks = options.blocks.map((block, i) => blockBytes(block, i === options.blocks.length - 1));
  return Buffer.concat([MAGIC, descriptor, window, field, ...blocks]);
}

/** Our encoder's frame (descriptor 0x00 + window descriptor) with a 4-byte content size spliced in. */
function withContentSize(ours: Buffer, size: number): Buffer {
  expect(ours[4]).toBe(0x00);
  const field = Buffer.alloc(4);
  field.writeUInt32LE(size);
  return Buffer.concat([MAGIC, Buffer.from([0x80]), ours.subarray(5, 6), field, ours.subarray(6)]);
}

const records = textRecords(400, 100, 12);
const plain = plainRecordsSection(records);
const zstdError = (blob: Buffer): string => {
  const error = batchErrorOf(() => decompressRecords('zstd', blob, 61));
  expect(error, 'decompression must fail').toBeDefined();
  return `${error?.problem}: ${error?.message}`;
};

describe('zstd records', () => {
  it('are written as one frame without a content size, which an independent decoder (fzstd) reads', () => {
    const blob = encodeRecordBatch({ records, compression: 'zstd' }).subarray(61);
    expect(blob.subarray(0, 4)).toEqual(MAGIC);
    expect(blob[4] ?? 0xff).toBe(0x00); // no content size, not single-segment: as the Java client
    expectBytes(fzstdDecompress(blob), plain);
  });

  it("read what the Java client's zstd-jni stream wrote (testdata/compression, library output)", () => {
    const blob = readHexFixture('compression/java-zstd-stream.hex');
    expectBytes(decompressRecords('zstd', blob, 61), plain);
    const decoded = decodeRecordBatch(withBlob('zstd', blob, 400));
    expect(decoded.records.map((r) => r.value)).toEqual(records.map((r) => r.value));
  });

  it('read frames with a content size, and refuse one whose content size is wrong', () => {
    const sized = withContentSize(compressZstd(plain), plain.length);
    expectBytes(fzstdDecompress(sized), plain); // the splice is a valid frame to another decoder too
    expectBytes(decompressRecords('zstd', sized, 61), plain);
    const lying = withContentSize(compressZstd(plain), plain.length - 1);
    expect(zstdError(lying)).toMatch(/^BAD_RECORD: .*zstd records do not decompress/);
  });

  it('read hand-assembled frames: raw and RLE blocks, single-segment, each content-size width', () => {
    const text = Buffer.from('tributary '.repeat(40));
    const cases: ReadonlyArray<readonly [Buffer, Buffer]> = [
      [frame({ blocks: [{ raw: text }] }), text],
      [
        frame({ singleSegment: true, contentSize: 5, blocks: [{ raw: Buffer.from('hello') }] }),
        Buffer.from('hello'),
      ],
      [frame({ singleSegment: true, contentSize: 400, blocks: [{ raw: text }] }), text],
      [frame({ contentSize: 70_000, blocks: [{ rle: 0x61, size: 70_000 }] }), Buffer.alloc(70_000, 0x61)],
      [
        frame({ blocks: [{ raw: text }, { rle: 0x2e, size: 3 }, { raw: Buffer.alloc(0) }] }),
        Buffer.concat([text, Buffer.from('...')]),
      ],
    ];
    for (const [blob, expected] of cases) {
      expectBytes(fzstdDecompress(blob), expected);
      expectBytes(decompressRecords('zstd', blob, 61), expected);
    }
  });

  it('read several concatenated frames, skippable frames included', () => {
    const first = plain.subarray(0, 10_000);
    const second = plain.subarray(10_000);
    const skippable = Buffer.from([0x5a, 0x2a, 0x4d, 0x18, 0x03, 0x00, 0x00, 0x00, 0x01, 0x02, 0x03]);
    const tail = frame({ singleSegment: true, contentSize: 3, blocks: [{ raw: Buffer.from('end') }] });
    const blob = Buffer.concat([compressZstd(first), skippable, compressZstd(second), tail]);
    expectBytes(decompressRecords('zstd', blob, 61), Buffer.concat([plain, Buffer.from('end')]));
    const batch = withBlob('zstd', Buffer.concat([compressZstd(first), compressZstd(second)]), 400);
    expect(decodeRecordBatch(batch).records).toHaveLength(400);
  });

  it('refuse zip bombs from the headers, before inflating', () => {
    const limit = RECORD_LIMITS.decompressedBytesMax;
    const rle = { rle: 0, size: 128 * 1024 } as const;
    const blocks = limit / rle.size;
    const atLimit = frame({ blocks: Array.from({ length: blocks }, () => rle) });
    expect(decompressRecords('zstd', atLimit, 61)).toHaveLength(limit);
    const bombs: ReadonlyArray<readonly [string, Buffer]> = [
      ['RLE blocks, no content size', frame({ blocks: Array.from({ length: blocks + 1 }, () => rle) })],
      ['frames adding up', Buffer.concat([atLimit, frame({ blocks: [{ raw: Buffer.from('x') }] })])],
      ['a huge content size', frame({ contentSize: 2 ** 40, blocks: [{ raw: Buffer.from('x') }] })],
      ['our encoder', compressZstd(Buffer.alloc(limit + 1))],
    ];
    for (const [name, bomb] of bombs) {
      expect(bomb.length, name).toBeLessThan(5_000);
      expect(zstdError(bomb), name).toMatch(/^BAD_LENGTH: .*zstd records decompress to more than/);
    }
  });

  it('refuse malformed frames with a RecordBatchError naming zstd', () => {
    const good = compressZstd(plain);
    const flip = (at: number, mask: number): Buffer => {
      const copy = Buffer.from(good);
      copy[at] = (copy[at] ?? 0) ^ mask;
      return copy;
    };
    const cases: ReadonlyArray<readonly [string, Buffer, RegExp]> = [
      ['empty', Buffer.alloc(0), /no frame/],
      ['garbage', Buffer.from('not zstd'), /missing frame magic/],
      ['bytes after the frame', Buffer.concat([good, Buffer.from([1, 2])]), /truncated frame magic/],
      ['a cut header', good.subarray(0, 5), /truncated frame header/],
      ['a cut block', good.subarray(0, good.length - 1), /truncated block/],
      ['the reserved header bit', flip(4, 0x08), /reserved frame header bit/],
      [
        'a dictionary',
        Buffer.concat([MAGIC, Buffer.from([0x01, 0x50, 0x07]), blockBytes({ raw: Buffer.from('x') }, true)]),
        /needs a dictionary/,
      ],
      [
        'a reserved block type',
        frame({ blocks: [{ raw: Buffer.from('x') }] }).fill(0x0f, 6, 7),
        /reserved block type/,
      ],
      [
        'a block over the window',
        frame({ windowLog: 10, blocks: [{ raw: Buffer.alloc(2_000) }] }),
        /exceeds/,
      ],
      ['garbled block contents', flip(20, 0xff), /zstd records do not decompress/],
    ];
    for (const [name, blob, message] of cases) {
      expect(zstdError(blob), name).toMatch(/^BAD_RECORD: .*zstd/);
      expect(zstdError(blob), name).toMatch(message);
    }
  });

  // The reference implementation's CLI, when installed: streaming output (no content size) with a
  // content checksum, written by another encoder than ours.
  const zstdCli = '/usr/bin/zstd';
  it.skipIf(!existsSync(zstdCli))('read what the zstd CLI writes to a pipe, one or two frames', () => {
    const piped = execFileSync(zstdCli, ['-c', '-q', '-3'], { input: plain });
    expect((piped[4] ?? 0) & 0xc4).toBe(0x04); // checksum, no content size
    expectBytes(decompressRecords('zstd', piped, 61), plain);
    expectBytes(decompressRecords('zstd', Buffer.concat([piped, piped]), 61), Buffer.concat([plain, plain]));
    const corrupted = Buffer.from(piped);
    corrupted.writeUInt32LE(corrupted.readUInt32LE(corrupted.length - 4) ^ 1, corrupted.length - 4);
    expect(zstdError(corrupted)).toMatch(/^BAD_RECORD: .*zstd records do not decompress/);
  });
});
