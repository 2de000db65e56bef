import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { crc32c, crc32cBitwise, crc32cImplementation, crc32cJs, crc32cNative } from './crc32c.js';

// Known CRC32C vectors: the "check" value from the CRC catalogue and RFC 3720 (iSCSI) appendix B.4.
const VECTORS: ReadonlyArray<readonly [string, Uint8Array, number]> = [
  ['"123456789"', Buffer.from('123456789', 'ascii'), 0xe3069283],
  ['empty', new Uint8Array(0), 0x00000000],
  ['32 zero bytes', new Uint8Array(32), 0x8a9136aa],
  ['32 0xff bytes', new Uint8Array(32).fill(0xff), 0x62a8ab43],
  ['32 ascending bytes', Uint8Array.from({ length: 32 }, (_, i) => i), 0x46dd794e],
  ['32 descending bytes', Uint8Array.from({ length: 32 }, (_, i) => 31 - i), 0x113fdb5c],
  ['"a"', Buffer.from('a'), 0xc1d04330],
];

const implementations = [
  ['js (slicing-by-8)', crc32cJs],
  ['bitwise reference', crc32cBitwise],
  ['exported crc32c', crc32c],
  ...(crc32cNative === undefined ? [] : [['native', crc32cNative] as const]),
] as const;

describe('crc32c known vectors', () => {
  for (const [name, crc] of implementations) {
    it(`${name} matches every vector`, () => {
      for (const [label, data, expected] of VECTORS) {
        expect(crc(data), label).toBe(expected);
      }
    });
  }

  it('uses the native implementation on this machine', () => {
    expect(crc32cImplementation).toBe('native');
  });
});

describe('crc32c implementations agree', () => {
  it('js equals the bitwise reference on random data of every length mod 8', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 300 }), (data) => {
        expect(crc32cJs(data)).toBe(crc32cBitwise(data));
      }),
      { numRuns: 300 },
    );
  });

  it('native equals js on random data, including subarray views at odd offsets', () => {
    const native = crc32cNative;
    if (native === undefined) return;
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 4096 }), fc.nat(7), (data, skip) => {
        const view = data.subarray(Math.min(skip, data.length));
        expect(native(view)).toBe(crc32cJs(view));
      }),
      { numRuns: 300 },
    );
  });

  it('continues a checksum across chunks (initial = CRC of the bytes so far)', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 500 }), fc.nat(500), (data, cut) => {
        const at = Math.min(cut, data.length);
        const whole = crc32cJs(data);
        expect(crc32cJs(data.subarray(at), crc32cJs(data.subarray(0, at)))).toBe(whole);
        expect(crc32c(data.subarray(at), crc32c(data.subarray(0, at)))).toBe(whole);
      }),
    );
  });

  it('returns unsigned 32-bit numbers', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 64 }), (data) => {
        const value = crc32c(data);
        expect(Number.isInteger(value) && value >= 0 && value <= 0xffffffff).toBe(true);
      }),
    );
  });
});
