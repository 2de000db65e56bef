import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { RecordBatchError } from './errors.js';
import {
  ByteReader,
  sizeOfVarint,
  sizeOfVarlong,
  VARLONG_MAGNITUDE_LIMIT,
  writeVarint,
  writeVarlong,
  zigzagDecode32,
  zigzagEncode32,
} from './varint.js';

function reader(hex: string): ByteReader {
  const buf = Buffer.from(hex, 'hex');
  return new ByteReader(buf, 0, buf.length);
}

function problemOf(fn: () => unknown): string | undefined {
  try {
    fn();
  } catch (error) {
    if (error instanceof RecordBatchError) return error.problem;
    throw error;
  }
  return undefined;
}

describe('zigzag varints (Kafka ByteUtils)', () => {
  it('encodes known values as Kafka does', () => {
    const cases: ReadonlyArray<readonly [number, string]> = [
      [0, '00'],
      [-1, '01'],
      [1, '02'],
      [-2, '03'],
      [63, '7e'],
      [-64, '7f'],
      [64, '8001'],
      [1000, 'd00f'],
      [2147483647, 'feffffff0f'],
      [-2147483648, 'ffffffff0f'],
    ];
    for (const [value, hex] of cases) {
      const buf = Buffer.alloc(5);
      const end = writeVarint(buf, 0, value);
      expect(buf.subarray(0, end).toString('hex'), String(value)).toBe(hex);
      expect(sizeOfVarint(value)).toBe(end);
      expect(reader(hex).readVarint('v')).toBe(value);
    }
  });

  it('zigzag round-trips every int32', () => {
    fc.assert(
      fc.property(fc.integer(), (n) => {
        expect(zigzagDecode32(zigzagEncode32(n))).toBe(n);
      }),
    );
  });

  it('varint and varlong round-trip with the computed size', () => {
    fc.assert(
      fc.property(fc.integer({ min: -(2 ** 31), max: 2 ** 31 - 1 }), (n) => {
        const buf = Buffer.alloc(5);
        const end = writeVarint(buf, 0, n);
        expect(end).toBe(sizeOfVarint(n));
        const r = new ByteReader(buf, 0, end);
        expect(r.readVarint('v')).toBe(n);
        expect(r.remaining()).toBe(0);
      }),
    );
    const limit = VARLONG_MAGNITUDE_LIMIT - 1;
    fc.assert(
      fc.property(
        fc.integer({ min: -limit, max: limit }),
        fc.constantFrom(1, 2 ** 20, 2 ** 40),
        (a, scale) => {
          const n = Math.max(-limit, Math.min(limit, a * scale));
          const buf = Buffer.alloc(10);
          const end = writeVarlong(buf, 0, n);
          expect(end).toBe(sizeOfVarlong(n));
          expect(new ByteReader(buf, 0, end).readVarlong('v')).toBe(n);
        },
      ),
    );
  });

  it('refuses a varint longer than 5 bytes or overflowing 32 bits', () => {
    expect(problemOf(() => reader('ffffffffff01').readVarint('v'))).toBe('BAD_VARINT');
    expect(problemOf(() => reader('ffffffff1f').readVarint('v'))).toBe('BAD_VARINT');
  });

  it('refuses a varlong longer than 10 bytes, and one beyond ±2^52', () => {
    expect(problemOf(() => reader('ffffffffffffffffffff01').readVarlong('v'))).toBe('BAD_VARINT');
    expect(problemOf(() => reader('ffffffffffffffffff01').readVarlong('v'))).toBe('OUT_OF_RANGE');
  });

  it('refuses to read past the end of its range', () => {
    expect(problemOf(() => reader('80').readVarint('v'))).toBe('BAD_RECORD');
    expect(problemOf(() => reader('0102').readBytes(3, 'key'))).toBe('BAD_RECORD');
  });
});
