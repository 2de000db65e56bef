import { gzipSync } from 'node:zlib';
import fc from 'fast-check';
import { compressFrameSync } from 'lz4-napi';
import { describe, expect, it } from 'vitest';
import { readBatchHeader } from './batch-header.js';
import { decodeRecordBatch, validateBatch } from './decode.js';
import { type EncodeBatchOptions, encodeRecordBatch, type RecordInput } from './encode.js';
import { type BatchProblem, RecordBatchError } from './errors.js';
import { COMPRESSION_CODECS, RECORD_LIMITS } from './layout.js';
import { splitBatches } from './split.js';

const bytes = (text: string): Buffer => Buffer.from(text, 'utf8');
const CODECS = ['gzip', 'lz4'] as const;

function sampleRecords(count: number): RecordInput[] {
  return Array.from({ length: count }, (_, i) => ({
    key: bytes(`key-${i % 7}`),
    value: bytes(`value ${i} `.repeat(10)),
    headers: i % 3 === 0 ? [{ key: 'h', value: bytes('x') }] : [],
    timestampMs: 1_700_000_000_000 + i,
  }));
}

/** A batch whose records section is replaced by `blob` under `codec`; lengths and CRC made right. */
function withBlob(codec: (typeof COMPRESSION_CODECS)[number], blob: Buffer, recordCount = 1): Buffer {
  const header = encodeRecordBatch({ records: sampleRecords(1) }).subarray(0, 61);
  const buf = Buffer.concat([header, blob]);
  buf.writeInt32BE(buf.length - 12, 8);
  buf.writeInt16BE(COMPRESSION_CODECS.indexOf(codec), 21);
  const view = readBatchHeader(buf);
  view.setRecordCount(recordCount);
  view.setLastOffsetDelta(Math.max(recordCount - 1, 0));
  view.updateCrc();
  return buf;
}

function problemOf(fn: () => unknown): BatchProblem | 'none' {
  try {
    fn();
    return 'none';
  } catch (error) {
    if (error instanceof RecordBatchError) return error.problem;
    throw error;
  }
}

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
      const blob = codec === 'gzip' ? gzipSync(bomb) : compressFrameSync(bomb);
      expect(blob.length).toBeLessThan(200_000);
      const batch = withBlob(codec, blob);
      expect(problemOf(() => validateBatch(batch))).toBe('none'); // the cheap check never inflates
      const error = (() => {
        try {
          decodeRecordBatch(batch);
          return undefined;
        } catch (e) {
          return e;
        }
      })();
      expect(error).toBeInstanceOf(RecordBatchError);
      expect((error as RecordBatchError).problem).toBe('BAD_LENGTH');
      expect(String(error)).toContain('decompressedBytesMax');
    });
  }

  it('refuses snappy and zstd clearly, naming the codec and what is supported', () => {
    for (const codec of ['snappy', 'zstd'] as const) {
      expect(() => encodeRecordBatch({ records: sampleRecords(1), compression: codec })).toThrow(
        new RegExp(`UNSUPPORTED_COMPRESSION.*${codec}.*none, gzip, lz4`),
      );
      const batch = withBlob(codec, Buffer.from('anything'));
      expect(validateBatch(batch).compression).toBe(codec);
      expect(() => decodeRecordBatch(batch)).toThrow(
        new RegExp(`UNSUPPORTED_COMPRESSION.*${codec}.*none, gzip, lz4`),
      );
    }
  });

  it('allows a compressed batch more records than its compressed size could hold plainly', () => {
    const records = Array.from({ length: 5_000 }, () => ({ key: null, value: null, timestampMs: 5 }));
    const batch = encodeRecordBatch({ records, compression: 'gzip' });
    expect(batch.length - 61).toBeLessThan(5_000 * 7);
    expect(decodeRecordBatch(batch).records).toHaveLength(5_000);
  });
});
