import { TributaryError } from '@tributary/core';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { readBatchHeader } from './batch-header.js';
import { decodeRecordBatch, validateBatch } from './decode.js';
import { encodeRecordBatch } from './encode.js';
import { type BatchProblem, RecordBatchError } from './errors.js';
import { RECORD_LIMITS } from './layout.js';

const bytes = (text: string): Buffer => Buffer.from(text, 'utf8');

function sampleBatch(): Buffer {
  return encodeRecordBatch({
    baseOffset: 10,
    records: [
      { key: bytes('k1'), value: bytes('v1'), timestampMs: 1_000 },
      { key: null, value: bytes('hello'), headers: [{ key: 'h', value: bytes('x') }], timestampMs: 1_005 },
      { key: bytes('k3'), value: null, timestampMs: 999 },
    ],
  });
}

/** A header from sampleBatch with the records section replaced by `recordsHex`; lengths and CRC made right. */
function withRecords(
  recordsHex: string,
  recordCount: number,
  lastOffsetDelta = Math.max(recordCount - 1, 0),
): Buffer {
  const header = sampleBatch().subarray(0, 61);
  const buf = Buffer.concat([header, Buffer.from(recordsHex.replace(/\s+/g, ''), 'hex')]);
  buf.writeInt32BE(buf.length - 12, 8);
  const view = readBatchHeader(buf);
  view.setRecordCount(recordCount);
  view.setLastOffsetDelta(lastOffsetDelta);
  view.updateCrc();
  return buf;
}

function problemOf(fn: () => unknown): BatchProblem | 'none' {
  try {
    fn();
    return 'none';
  } catch (error) {
    if (error instanceof RecordBatchError) {
      expect(error).toBeInstanceOf(TributaryError);
      expect(error.code).toBe('INVALID_REQUEST');
      expect(error.message).toContain(error.problem);
      return error.problem;
    }
    throw error;
  }
}

const deep = (buf: Buffer) => () => validateBatch(buf, { deep: true });
const cheap = (buf: Buffer) => () => validateBatch(buf);

describe('corruption is detected and named', () => {
  it('any change to a byte inside the CRC range is a CRC mismatch', () => {
    const original = sampleBatch();
    fc.assert(
      fc.property(
        fc.integer({ min: 17, max: original.length - 1 }),
        fc.integer({ min: 1, max: 255 }),
        (at, mask) => {
          const buf = Buffer.from(original);
          buf[at] = (buf[at] ?? 0) ^ mask;
          expect(problemOf(cheap(buf))).toBe('CRC_MISMATCH');
        },
      ),
      { numRuns: 500 },
    );
  });

  it('a wrong magic byte is BAD_MAGIC', () => {
    for (const magic of [0, 1, 3, -1]) {
      const buf = sampleBatch();
      buf.writeInt8(magic, 16);
      expect(problemOf(cheap(buf))).toBe('BAD_MAGIC');
    }
  });

  it('a batch cut short at any length is TRUNCATED', () => {
    const original = sampleBatch();
    for (let length = 0; length < original.length; length++) {
      expect(problemOf(cheap(original.subarray(0, length))), `length ${length}`).toBe('TRUNCATED');
    }
  });

  it('a negative, too small or too large batchLength is BAD_LENGTH', () => {
    for (const batchLength of [-1, -(2 ** 31), 0, 48, RECORD_LIMITS.batchBytesMax]) {
      const buf = sampleBatch();
      buf.writeInt32BE(batchLength, 8);
      expect(problemOf(cheap(buf)), String(batchLength)).toBe('BAD_LENGTH');
    }
  });

  it('a batchLength past the buffer is TRUNCATED; trailing bytes after one batch are BAD_LENGTH', () => {
    const longer = sampleBatch();
    longer.writeInt32BE(longer.readInt32BE(8) + 1, 8);
    expect(problemOf(cheap(longer))).toBe('TRUNCATED');
    expect(problemOf(cheap(Buffer.concat([sampleBatch(), Buffer.alloc(1)])))).toBe('BAD_LENGTH');
  });

  it('a recordCount that disagrees with the records is BAD_RECORD_COUNT', () => {
    const fewer = sampleBatch();
    readBatchHeader(fewer).setRecordCount(2);
    readBatchHeader(fewer).updateCrc();
    expect(problemOf(cheap(fewer))).toBe('none'); // cheap mode does not parse records
    expect(problemOf(deep(fewer))).toBe('BAD_RECORD_COUNT');

    const more = sampleBatch();
    readBatchHeader(more).setRecordCount(4);
    readBatchHeader(more).setLastOffsetDelta(3);
    readBatchHeader(more).updateCrc();
    expect(problemOf(deep(more))).toBe('BAD_RECORD_COUNT');

    for (const [count, lastOffsetDelta] of [
      [-1, 2],
      [1_000_000, 2_000_000],
      [4, 2],
      [1, -1],
    ] as const) {
      const buf = sampleBatch();
      readBatchHeader(buf).setRecordCount(count);
      readBatchHeader(buf).setLastOffsetDelta(lastOffsetDelta);
      readBatchHeader(buf).updateCrc();
      expect(problemOf(cheap(buf)), `count ${count}`).toBe('BAD_RECORD_COUNT');
    }
  });

  it('varint overflow in a record is BAD_VARINT', () => {
    expect(problemOf(deep(withRecords('ffffffffff01 00000000000000', 1)))).toBe('BAD_VARINT');
    // A timestampDelta varlong of 11 bytes.
    expect(problemOf(deep(withRecords('1a 00 ffffffffffffffffffff01 00 01 01 00 000000', 1)))).toBe(
      'BAD_VARINT',
    );
  });

  it('malformed records are BAD_RECORD', () => {
    const cases: ReadonlyArray<readonly [string, string, number, RegExp]> = [
      ['record length past the batch', '20 00 00 00 01 01 00', 1, /record length 16 exceeds/],
      ['record length longer than its fields', '0e 00 00 00 01 01 00 ff', 1, /leaves 1 unread/],
      ['record length shorter than its fields', '0a 00 00 00 01 01 00 00', 1, /headers count needs 1 bytes/],
      ['negative record length', '01 00 00 00 01 01 00', 1, /record length -1/],
      ['key length below -1', '0c 00 00 00 03 01 00', 1, /key length -2 is below -1/],
      ['key longer than the record', '0c 00 00 00 08 01 00', 1, /key needs 4 bytes/],
      [
        'offsetDelta not increasing',
        '0c 00 00 00 01 01 00 0c 00 00 00 01 01 00',
        2,
        /offsetDelta 0 must exceed 0/,
      ],
      ['offsetDelta past lastOffsetDelta', '0c 00 00 02 01 01 00', 1, /not exceed lastOffsetDelta 0/],
      ['null header key', '10 00 00 00 01 01 02 01 01', 1, /keys cannot be null/],
      ['invalid UTF-8 header key', '12 00 00 00 01 01 02 02 ff 01', 1, /not valid UTF-8/],
      ['headers count that cannot fit', '0c 00 00 00 01 01 7e', 1, /headers count 63 cannot fit/],
    ];
    for (const [name, recordsHex, count, message] of cases) {
      const buf = withRecords(recordsHex, count);
      expect(problemOf(deep(buf)), name).toBe('BAD_RECORD');
      expect(deep(buf), name).toThrow(message);
    }
    // The well-formed twin of these cases decodes.
    expect(problemOf(deep(withRecords('0c 00 00 00 01 01 00', 1)))).toBe('none');
  });

  it('an invalid codec is refused cheaply; a valid but undecodable one only when decoding', () => {
    const invalidCodec = sampleBatch();
    invalidCodec.writeInt16BE(7, 21);
    readBatchHeader(invalidCodec).updateCrc();
    expect(problemOf(cheap(invalidCodec))).toBe('UNSUPPORTED_COMPRESSION');
    const zstd = sampleBatch();
    zstd.writeInt16BE(4, 21);
    readBatchHeader(zstd).updateCrc();
    expect(problemOf(cheap(zstd))).toBe('none');
    // Plain records under the zstd codec id: the cheap check passes, decoding finds no zstd frame.
    expect(problemOf(() => decodeRecordBatch(zstd))).toBe('BAD_RECORD');
  });

  it('a negative baseOffset is OUT_OF_RANGE', () => {
    const buf = sampleBatch();
    buf.writeBigInt64BE(-5n, 0);
    expect(problemOf(cheap(buf))).toBe('OUT_OF_RANGE');
  });

  it('random damage never escapes as anything but a RecordBatchError (even with a repaired CRC)', () => {
    const original = sampleBatch();
    const damage = fc.array(fc.tuple(fc.nat(original.length - 1), fc.integer({ min: 0, max: 255 })), {
      minLength: 1,
      maxLength: 4,
    });
    fc.assert(
      fc.property(damage, fc.boolean(), fc.nat(original.length), (changes, repairCrc, cut) => {
        const buf = Buffer.from(original);
        for (const [at, value] of changes) buf[at] = value;
        if (repairCrc && buf.readInt8(16) === 2 && buf.readInt32BE(8) === original.length - 12) {
          readBatchHeader(buf).updateCrc();
        }
        problemOf(() => decodeRecordBatch(buf));
        problemOf(() => decodeRecordBatch(buf.subarray(0, cut)));
      }),
      { numRuns: 2_000 },
    );
  });
});
