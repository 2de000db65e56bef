import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decodeEntryBatch, encodeEntryBatch } from './entry-batch.js';

describe('entry batch framing', () => {
  it('round-trips any list of records', () => {
    fc.assert(
      fc.property(fc.array(fc.uint8Array({ maxLength: 64 }), { maxLength: 20 }), (records) => {
        const decoded = decodeEntryBatch(encodeEntryBatch(records));
        expect(decoded.map((r) => Array.from(r))).toEqual(records.map((r) => Array.from(r)));
      }),
    );
  });

  it('treats empty data (a no-op entry) as no records', () => {
    expect(decodeEntryBatch(new Uint8Array(0))).toEqual([]);
    expect(decodeEntryBatch(encodeEntryBatch([]))).toEqual([]);
  });

  it('has a fixed layout', () => {
    const bytes = encodeEntryBatch([Uint8Array.of(7, 8), Uint8Array.of()]);
    expect(Array.from(bytes)).toEqual([1, 0, 0, 0, 2, 0, 0, 0, 2, 7, 8, 0, 0, 0, 0]);
  });

  it('rejects malformed data', () => {
    const good = encodeEntryBatch([Uint8Array.of(1, 2, 3)]);
    expect(() => decodeEntryBatch(good.subarray(0, good.length - 1))).toThrow(RangeError);
    expect(() => decodeEntryBatch(Uint8Array.of(...good, 0))).toThrow(RangeError);
    expect(() => decodeEntryBatch(Uint8Array.of(2, 0, 0, 0, 0))).toThrow(RangeError);
    expect(() => decodeEntryBatch(Uint8Array.of(1, 0))).toThrow(RangeError);
  });
});
