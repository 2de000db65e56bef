import { gzipSync } from 'node:zlib';
import fc from 'fast-check';
import { compressFrameSync } from 'lz4-napi';
import { describe, expect, it } from 'vitest';
import {
  compressRecords,
  decompressRecords,
  isSupportedCompression,
  SUPPORTED_COMPRESSION,
} from './compression.js';
import { decodeRecordBatch, validateBatch } from './decode.js';
import { type EncodeBatchOptions, encodeRecordBatch, type RecordInput } from './encode.js';
import { COMPRESSION_CODECS, RECORD_LIMITS } from './layout.js';
import { compressSnappy } from './snappy.js';
import { splitBatches } from './split.js';
import { batchErrorOf, problemOf, sampleRecords, textRecords, withBlob } from './testing.js';
import { compressZstd } from './zstd.js';

const CODECS = ['gzip', 'snappy', 'lz4', 'zstd'] as const;

/** Text records whose plain batch is within 2,000 bytes of RECORD_LIMITS.batchBytesMax; built once. */
let nearLimit: RecordInput[] | undefined;
function nearLimitRecords(): RecordInput[] {
  const valueBytes = 1_000;
  nearLimit ??= textRecords(Math.floor((RECORD_LIMITS.batchBytesMax - 61) / (valueBytes + 12)), valueBytes);
  expect(encodeRecordBatch({ records: nearLimit }).length).toBeGreaterThan(
    RECORD_LIMITS.batchBytesMax - 2_000,
  );
  return nearLimit;
}
type Codec = (typeof CODECS)[number];

/** Each codec's own compressor, for blobs the encoder would refuse to write (a zip bomb). */
const RAW_COMPRESSORS: Readonly<Record<Codec, (plain: Buffer) => Buffer>> = {
  gzip: (plain) => gzipSync(plain),
  snappy: compressSnappy,
  lz4: (plain) => compressFrameSync(plain),
  zstd: compressZstd,
};

const recordArb: fc.Arbitrary<RecordInput> = fc.record({
  key: fc.option(fc.uint8Array({ maxLength: 40 }).map((a) => Buffer.from(a))),
  value: fc.option(fc.uint8Array({ maxLength: 300 }).map((a) => Buffer.from(a))),
  headers: fc.array(
    fc.record({ key: fc.string({ maxLength: 8 }), value: fc.option(fc.uint8Array({ maxLength: 8 })) }),
    { maxLength: 3 },
  ),
  timestampMs: fc.integer({ min: 0, max: 2 ** 42 }),
});

describe('compressed batches', () => {
  for (const codec of CODECS) {
    it(`round-trips ${codec} batches`, () => {
      fc.assert(
        fc.property(
          fc.array(recordArb, { minLength: 1, maxLength: 30 }),
          fc.nat(1_000_000),
          (records, base) => {
            const options: EncodeBatchOptions = { baseOffset: base, records, compression: codec };
            const batch = encodeRecordBatch(options);
            const decoded = decodeRecordBatch(batch);
            expect(decoded.compression).toBe(codec);
            expect(decoded.recordCount).toBe(records.length);
            const plain = decodeRecordBatch(encodeRecordBatch({ ...options, compression: 'none' }));
            expect(decoded.records).toEqual(plain.records);
            expect(validateBatch(batch, { deep: true }).compression).toBe(codec);
          },
        ),
        { numRuns: 100 },
      );
    });

    it(`${codec} batches pass the broker's cheap validation and splitting`, () => {
      const batch = encodeRecordBatch({ records: sampleRecords(500), compression: codec });
      expect(batch.length).toBeLessThan(encodeRecordBatch({ records: sampleRecords(500) }).length / 3);
      const header = validateBatch(batch);
      expect(header.recordCount).toBe(500);
      expect(header.compression).toBe(codec);
      const split = splitBatches(Buffer.concat([batch, batch]), { deep: true });
      expect(split.batches).toHaveLength(2);
    });

    it(`a changed byte in the ${codec} blob is a CRC mismatch`, () => {
      const batch = encodeRecordBatch({ records: sampleRecords(20), compression: codec });
      fc.assert(
        fc.property(
          fc.integer({ min: 61, max: batch.length - 1 }),
          fc.integer({ min: 1, max: 255 }),
          (at, x) => {
            const copy = Buffer.from(batch);
            copy[at] = (copy[at] ?? 0) ^ x;
            expect(problemOf(() => validateBatch(copy))).toBe('CRC_MISMATCH');
            expect(problemOf(() => decodeRecordBatch(copy))).toBe('CRC_MISMATCH');
          },
        ),
      );
    });

    it(`a truncated or garbled ${codec} blob with a repaired CRC is a RecordBatchError, never a crash`, () => {
      const batch = encodeRecordBatch({ records: sampleRecords(20), compression: codec });
      const blob = batch.subarray(61);
      for (let keep = 0; keep < blob.length; keep++) {
        const cut = withBlob(codec, blob.subarray(0, keep), 20);
        expect(problemOf(() => decodeRecordBatch(cut))).not.toBe('none');
      }
      fc.assert(
        fc.property(fc.nat(blob.length - 1), fc.integer({ min: 1, max: 255 }), (at, x) => {
          const garbled = Buffer.from(blob);
          garbled[at] = (garbled[at] ?? 0) ^ x;
          problemOf(() => decodeRecordBatch(withBlob(codec, garbled, 20))); // throws only RecordBatchError
        }),
      );
    });

    it(`refuses ${codec} records that inflate past decompressedBytesMax (zip bomb)`, () => {
      const bomb = Buffer.alloc(RECORD_LIMITS.decompressedBytesMax + 1);
      const blob = RAW_COMPRESSORS[codec](bomb);
      expect(blob.length).toBeLessThan(bomb.length / 15);
      const batch = withBlob(codec, blob);
      expect(problemOf(() => validateBatch(batch))).toBe('none'); // the cheap check never inflates
      const error = batchErrorOf(() => decodeRecordBatch(batch));
      expect(error?.problem).toBe('BAD_LENGTH');
      expect(String(error)).toContain(`${codec} records decompress to more than`);
      expect(String(error)).toContain('decompressedBytesMax');
    });

    it(`a ${codec} batch just under the limits decodes (the size bounds are not too coarse)`, () => {
      const records = nearLimitRecords();
      const count = records.length;
      const decoded = decodeRecordBatch(encodeRecordBatch({ records, compression: codec }));
      expect(decoded.records).toHaveLength(count);
      expect(decoded.records.at(-1)?.value).toEqual(records.at(-1)?.value);
    });

    it(`${codec} round-trips an empty records section (what a batch of zero records would hold)`, () => {
      const blob = compressRecords(codec, Buffer.alloc(0));
      expect(decompressRecords(codec, blob, 61)).toEqual(Buffer.alloc(0));
      expect(decodeRecordBatch(withBlob(codec, blob, 0)).records).toEqual([]);
    });

    it(`an empty ${codec} blob is a RecordBatchError naming the codec`, () => {
      const error = batchErrorOf(() => decodeRecordBatch(withBlob(codec, Buffer.alloc(0), 1)));
      expect(error?.problem).toBe('BAD_RECORD');
      expect(String(error)).toContain(codec);
    });
  }

  it('supports every codec Kafka defines', () => {
    expect([...SUPPORTED_COMPRESSION]).toEqual([...COMPRESSION_CODECS]);
    expect(isSupportedCompression('zstd')).toBe(true);
    expect(isSupportedCompression('brotli')).toBe(false);
    expect(() => encodeRecordBatch({ records: sampleRecords(1), compression: 'brotli' as 'zstd' })).toThrow(
      /UNSUPPORTED_COMPRESSION.*brotli.*none, gzip, snappy, lz4, zstd/,
    );
  });

  it('allows a compressed batch more records than its compressed size could hold plainly', () => {
    const records = Array.from({ length: 5_000 }, () => ({ key: null, value: null, timestampMs: 5 }));
    const batch = encodeRecordBatch({ records, compression: 'gzip' });
    expect(batch.length - 61).toBeLessThan(5_000 * 7);
    expect(decodeRecordBatch(batch).records).toHaveLength(5_000);
  });
});
