import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  decodeProducerSnapshot,
  encodeProducerSnapshot,
  type ProducerSnapshot,
} from './producer-snapshot.js';
import { SEQUENCE_MAX } from './producer-state.js';

const batchArbitrary = fc.record({
  firstSequence: fc.integer({ min: 0, max: SEQUENCE_MAX }),
  lastSequence: fc.integer({ min: 0, max: SEQUENCE_MAX }),
  firstOffset: fc.integer({ min: 0, max: 2 ** 40 }),
  lastOffset: fc.integer({ min: 2 ** 40, max: Number.MAX_SAFE_INTEGER }),
  maxTimestamp: fc.integer({ min: -1, max: 2 ** 45 }),
});

const snapshotArbitrary: fc.Arbitrary<ProducerSnapshot> = fc.record({
  logEndOffset: fc.integer({ min: 0, max: Number.MAX_SAFE_INTEGER }),
  entries: fc.array(
    fc.record({
      producerId: fc.integer({ min: 0, max: Number.MAX_SAFE_INTEGER }),
      producerEpoch: fc.integer({ min: 0, max: 0x7fff }),
      batches: fc.array(batchArbitrary, { minLength: 1, maxLength: 5 }),
    }),
    { maxLength: 20 },
  ),
});

describe('producer state snapshot', () => {
  it('round-trips', () => {
    fc.assert(
      fc.property(snapshotArbitrary, (snapshot) => {
        expect(decodeProducerSnapshot(encodeProducerSnapshot(snapshot))).toEqual(snapshot);
      }),
    );
  });

  it('refuses damaged or truncated bytes', () => {
    fc.assert(
      fc.property(snapshotArbitrary, fc.nat(), fc.integer({ min: 1, max: 255 }), (snapshot, at, flip) => {
        const bytes = encodeProducerSnapshot(snapshot);
        const damaged = Buffer.from(bytes);
        const position = at % damaged.length;
        damaged.writeUInt8((damaged.readUInt8(position) ^ flip) & 0xff, position);
        expect(decodeProducerSnapshot(damaged)).toBeNull();
        expect(decodeProducerSnapshot(bytes.subarray(0, bytes.length - 1))).toBeNull();
      }),
    );
    expect(decodeProducerSnapshot(Buffer.alloc(0))).toBeNull();
  });
});
