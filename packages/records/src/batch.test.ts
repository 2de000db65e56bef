import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { readBatchHeader, stampBatch } from './batch-header.js';
import { crc32cBitwise } from './crc32c.js';
import { decodeRecordBatch, validateBatch } from './decode.js';
import { type EncodeBatchOptions, encodeRecordBatch, type RecordInput } from './encode.js';
import { RecordBatchError } from './errors.js';

function readHexFixture(name: string): Buffer {
  const text = readFileSync(new URL(`../testdata/${name}`, import.meta.url), 'utf8');
  const hex = text
    .split('\n')
    .map((line) => line.replace(/#.*/, ''))
    .join('')
    .replace(/\s+/g, '');
  return Buffer.from(hex, 'hex');
}

const bytes = (text: string): Buffer => Buffer.from(text, 'utf8');

const GOLDEN_INPUT: EncodeBatchOptions = {
  baseOffset: 42,
  partitionLeaderEpoch: 7,
  producerId: 1000,
  producerEpoch: 3,
  baseSequence: 11,
  records: [
    { key: bytes('k1'), value: bytes('v1'), timestampMs: 1_700_000_000_000 },
    {
      key: null,
      value: bytes('hello'),
      headers: [
        { key: 'h', value: bytes('x') },
        { key: 'n', value: null },
      ],
      timestampMs: 1_700_000_000_005,
    },
    { key: bytes('k3'), value: null, timestampMs: 1_700_000_001_000 },
  ],
};

describe('golden fixture testdata/golden-batch.hex', () => {
  const golden = readHexFixture('golden-batch.hex');

  it('the encoder produces exactly the hand-laid bytes', () => {
    expect(golden.length).toBe(101);
    expect(encodeRecordBatch(GOLDEN_INPUT).toString('hex')).toBe(golden.toString('hex'));
  });

  it('each header field sits at its Kafka offset', () => {
    // [offset, size, hex] computed by hand from the v2 layout, independent of layout.ts.
    const fields: ReadonlyArray<readonly [string, number, number, string]> = [
      ['baseOffset', 0, 8, '000000000000002a'],
      ['batchLength', 8, 4, '00000059'],
      ['partitionLeaderEpoch', 12, 4, '00000007'],
      ['magic', 16, 1, '02'],
      ['attributes', 21, 2, '0000'],
      ['lastOffsetDelta', 23, 4, '00000002'],
      ['baseTimestamp', 27, 8, (1_700_000_000_000).toString(16).padStart(16, '0')],
      ['maxTimestamp', 35, 8, (1_700_000_001_000).toString(16).padStart(16, '0')],
      ['producerId', 43, 8, '00000000000003e8'],
      ['producerEpoch', 51, 2, '0003'],
      ['baseSequence', 53, 4, '0000000b'],
      ['recordCount', 57, 4, '00000003'],
      ['record 0', 61, 11, '14000000046b3104763100'],
      ['record 2', 91, 10, '1200d00f04046b330100'],
    ];
    for (const [name, offset, size, hex] of fields) {
      expect(golden.subarray(offset, offset + size).toString('hex'), name).toBe(hex);
    }
    expect(golden.readUInt32BE(17)).toBe(crc32cBitwise(golden.subarray(21)));
  });

  it('decodes to the input, with absolute offsets and timestamps', () => {
    const batch = decodeRecordBatch(golden);
    expect(batch).toMatchObject({
      baseOffset: 42,
      batchLength: 89,
      partitionLeaderEpoch: 7,
      magic: 2,
      crc: 0x73e85a84,
      compression: 'none',
      timestampType: 'create-time',
      isTransactional: false,
      isControl: false,
      lastOffsetDelta: 2,
      baseTimestamp: 1_700_000_000_000,
      maxTimestamp: 1_700_000_001_000,
      producerId: 1000,
      producerEpoch: 3,
      baseSequence: 11,
      recordCount: 3,
    });
    expect(batch.records.map((r) => [r.offset, r.timestampMs])).toEqual([
      [42, 1_700_000_000_000],
      [43, 1_700_000_000_005],
      [44, 1_700_000_001_000],
    ]);
    expect(batch.records[1]?.key).toBeNull();
    expect(batch.records[1]?.headers).toEqual([
      { key: 'h', value: bytes('x') },
      { key: 'n', value: null },
    ]);
    expect(batch.records[2]?.value).toBeNull();
  });
});

const arbitraryBytes = fc.option(fc.uint8Array({ maxLength: 40 }), { nil: null });
const arbitraryRecord: fc.Arbitrary<RecordInput> = fc.record({
  key: arbitraryBytes,
  value: arbitraryBytes,
  headers: fc.array(
    fc.record({ key: fc.string({ unit: 'grapheme', maxLength: 8 }), value: arbitraryBytes }),
    {
      maxLength: 3,
    },
  ),
  timestampMs: fc.integer({ min: 0, max: 2 ** 45 }),
});
const arbitraryBatch: fc.Arbitrary<EncodeBatchOptions> = fc.record({
  baseOffset: fc.integer({ min: 0, max: 2 ** 50 }),
  partitionLeaderEpoch: fc.integer({ min: -1, max: 2 ** 31 - 1 }),
  producerId: fc.integer({ min: -1, max: Number.MAX_SAFE_INTEGER }),
  producerEpoch: fc.integer({ min: -1, max: 0x7fff }),
  baseSequence: fc.integer({ min: -1, max: 2 ** 31 - 1 }),
  timestampType: fc.constantFrom('create-time' as const, 'log-append-time' as const),
  isTransactional: fc.boolean(),
  isControl: fc.boolean(),
  records: fc.array(arbitraryRecord, { minLength: 1, maxLength: 20 }),
});

const normalize = (b: Uint8Array | null): number[] | null => (b === null ? null : [...b]);

describe('round trip', () => {
  it('decode(encode(batch)) gives back every field and record', () => {
    fc.assert(
      fc.property(arbitraryBatch, (input) => {
        const encoded = encodeRecordBatch(input);
        expect(validateBatch(encoded, { deep: true }).sizeBytes).toBe(encoded.length);
        const decoded = decodeRecordBatch(new Uint8Array(encoded)); // a plain Uint8Array works too
        expect(decoded).toMatchObject({
          baseOffset: input.baseOffset,
          partitionLeaderEpoch: input.partitionLeaderEpoch,
          producerId: input.producerId,
          producerEpoch: input.producerEpoch,
          baseSequence: input.baseSequence,
          timestampType: input.timestampType,
          isTransactional: input.isTransactional,
          isControl: input.isControl,
          recordCount: input.records.length,
          lastOffsetDelta: input.records.length - 1,
          baseTimestamp: input.records[0]?.timestampMs,
          maxTimestamp: Math.max(...input.records.map((r) => r.timestampMs)),
        });
        const logAppendTime = input.timestampType === 'log-append-time' ? decoded.maxTimestamp : undefined;
        const expected = input.records.map((r, i) => ({
          offset: (input.baseOffset ?? 0) + i,
          timestampMs: logAppendTime ?? r.timestampMs,
          key: normalize(r.key),
          value: normalize(r.value),
          headers: (r.headers ?? []).map((h) => ({ key: h.key, value: normalize(h.value) })),
        }));
        const actual = decoded.records.map((r) => ({
          offset: r.offset,
          timestampMs: r.timestampMs,
          key: normalize(r.key),
          value: normalize(r.value),
          headers: r.headers.map((h) => ({ key: h.key, value: normalize(h.value) })),
        }));
        expect(actual).toEqual(expected);
      }),
      { numRuns: 300 },
    );
  });

  it('keeps explicit offset deltas with gaps (a compacted batch)', () => {
    const encoded = encodeRecordBatch({
      records: [
        { key: null, value: bytes('a'), timestampMs: 5, offsetDelta: 3 },
        { key: null, value: bytes('b'), timestampMs: 4, offsetDelta: 9 },
      ],
    });
    const decoded = decodeRecordBatch(encoded);
    expect(decoded.lastOffsetDelta).toBe(9);
    expect(decoded.records.map((r) => r.offsetDelta)).toEqual([3, 9]);
    expect(decoded.maxTimestamp).toBe(5);
  });

  it('refuses input it cannot encode with INVALID_REQUEST', () => {
    const record = { key: null, value: null, timestampMs: 0 };
    const attempts: EncodeBatchOptions[] = [
      { records: [] },
      { baseOffset: -1, records: [record] },
      { baseOffset: 1.5, records: [record] },
      { producerEpoch: 0x8000, records: [record] },
      { records: [{ ...record, timestampMs: -2 }] },
      { records: [record, { ...record, offsetDelta: 0 }] },
      { records: [record], compression: 'brotli' as 'zstd' },
    ];
    for (const attempt of attempts) {
      expect(() => encodeRecordBatch(attempt)).toThrow(expect.objectContaining({ code: 'INVALID_REQUEST' }));
    }
  });
});

describe('RecordBatchHeader view', () => {
  it('stampBatch writes base offset and leader epoch in place, and the CRC stays valid', () => {
    const encoded = encodeRecordBatch(GOLDEN_INPUT);
    const crcBefore = encoded.readUInt32BE(17);
    const header = stampBatch(encoded, { baseOffset: 2 ** 40 + 5, partitionLeaderEpoch: 12 });
    expect(encoded.readUInt32BE(17)).toBe(crcBefore);
    expect(validateBatch(encoded, { deep: true })).toMatchObject({
      baseOffset: 2 ** 40 + 5,
      partitionLeaderEpoch: 12,
      lastOffset: 2 ** 40 + 7,
    });
    expect(header.computeCrc()).toBe(crcBefore);
    expect(decodeRecordBatch(encoded).records.map((r) => r.offset)).toEqual([
      2 ** 40 + 5,
      2 ** 40 + 6,
      2 ** 40 + 7,
    ]);
  });

  it('works on a batch in the middle of a larger buffer without copying', () => {
    const batch = encodeRecordBatch(GOLDEN_INPUT);
    const buf = Buffer.concat([Buffer.alloc(10, 0xee), batch, Buffer.alloc(5, 0xee)]);
    const header = stampBatch(buf, { baseOffset: 100, partitionLeaderEpoch: 1 }, 10);
    expect(header.bytes().buffer).toBe(buf.buffer);
    expect(readBatchHeader(buf, 10).baseOffset).toBe(100);
    expect(decodeRecordBatch(header.bytes()).records[0]?.offset).toBe(100);
  });

  it('setters for CRC-covered fields need updateCrc()', () => {
    const encoded = encodeRecordBatch(GOLDEN_INPUT);
    const header = readBatchHeader(encoded);
    header.setProducer({ producerId: -1, producerEpoch: -1, baseSequence: -1 });
    header.setMaxTimestamp(1_800_000_000_000);
    expect(() => validateBatch(encoded)).toThrow(/CRC_MISMATCH/);
    header.updateCrc();
    expect(validateBatch(encoded, { deep: true })).toMatchObject({
      producerId: -1,
      producerEpoch: -1,
      baseSequence: -1,
      maxTimestamp: 1_800_000_000_000,
    });
  });

  it('reading an int64 that is not a safe integer is an OUT_OF_RANGE error', () => {
    const encoded = encodeRecordBatch(GOLDEN_INPUT);
    encoded.writeBigInt64BE(2n ** 60n, 0);
    expect(() => readBatchHeader(encoded).baseOffset).toThrow(RecordBatchError);
    expect(() => validateBatch(encoded)).toThrow(/OUT_OF_RANGE/);
  });
});
