import { crc32c } from '@tributary/records';
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
  lastTransactionalOffset: fc.integer({ min: -1, max: Number.MAX_SAFE_INTEGER }),
  entries: fc.array(
    fc.record(
      {
        producerId: fc.integer({ min: 0, max: Number.MAX_SAFE_INTEGER }),
        producerEpoch: fc.integer({ min: 0, max: 0x7fff }),
        batches: fc.array(batchArbitrary, { minLength: 0, maxLength: 5 }),
        currentTxnFirstOffset: fc.integer({ min: 0, max: Number.MAX_SAFE_INTEGER }),
        coordinatorEpoch: fc.integer({ min: 0, max: 0x7fff_ffff }),
      },
      { requiredKeys: ['producerId', 'producerEpoch', 'batches'] },
    ),
    { maxLength: 20 },
  ),
});

/** `hex` with its CRC32C appended, as the writer ends a snapshot. */
function withCrc(hex: readonly string[]): Buffer {
  const body = Buffer.from(hex.join(''), 'hex');
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32c(body) >>> 0);
  return Buffer.concat([body, crc]);
}

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

  it('writes version 3 with the coordinator epoch per producer, -1 for none', () => {
    const bytes = encodeProducerSnapshot({
      logEndOffset: 9,
      lastTransactionalOffset: 8,
      entries: [
        { producerId: 7, producerEpoch: 1, batches: [], coordinatorEpoch: 5 },
        { producerId: 8, producerEpoch: 0, batches: [] },
      ],
    });
    expect(bytes.subarray(0, 4).toString('latin1')).toBe('TPS3');
    // Header 24 bytes; each producer id i64, epoch i16, txn first offset i64, coordinator epoch i32, count u8.
    expect(bytes.readInt32BE(24 + 18)).toBe(5);
    expect(bytes.readInt32BE(24 + 23 + 18)).toBe(-1);
  });

  it('still reads version 2 (written before coordinator fencing): no coordinator epoch', () => {
    // TPS2: magic, logEndOffset 12, lastTransactionalOffset 11, two producers: id 7 epoch 3 with a
    // transaction open at 10 and one batch (sequences 0-1 at 10-11); id 9 epoch 1, no transaction, no batch.
    const bytes = withCrc([
      '54505332',
      '000000000000000c',
      '000000000000000b',
      '00000002',
      '0000000000000007',
      '0003',
      '000000000000000a',
      '01',
      '00000000',
      '00000001',
      '000000000000000a',
      '000000000000000b',
      '00000000000003e8',
      '0000000000000009',
      '0001',
      'ffffffffffffffff',
      '00',
    ]);
    expect(decodeProducerSnapshot(bytes)).toEqual({
      logEndOffset: 12,
      lastTransactionalOffset: 11,
      entries: [
        {
          producerId: 7,
          producerEpoch: 3,
          currentTxnFirstOffset: 10,
          batches: [
            { firstSequence: 0, lastSequence: 1, firstOffset: 10, lastOffset: 11, maxTimestamp: 1000 },
          ],
        },
        { producerId: 9, producerEpoch: 1, batches: [] },
      ],
    });
  });

  it('refuses a version 3 coordinator epoch below -1', () => {
    const bytes = encodeProducerSnapshot({
      logEndOffset: 1,
      lastTransactionalOffset: 0,
      entries: [{ producerId: 7, producerEpoch: 0, batches: [], coordinatorEpoch: 2 }],
    });
    bytes.writeInt32BE(-2, 24 + 18);
    const body = bytes.subarray(0, bytes.length - 4);
    bytes.writeUInt32BE(crc32c(body) >>> 0, body.length);
    expect(decodeProducerSnapshot(bytes)).toBeNull();
  });

  it('still reads version 1 (written before transactions)', () => {
    // TPS1: magic, logEndOffset 42, one producer (id 7, epoch 2, one batch of sequences 0-2 at 40-42).
    const body = Buffer.from(
      [
        '54505331',
        '000000000000002a',
        '00000001',
        '0000000000000007',
        '0002',
        '01',
        '00000000',
        '00000002',
        '0000000000000028',
        '000000000000002a',
        '00000000000003e8',
      ].join(''),
      'hex',
    );
    const crc = Buffer.alloc(4);
    crc.writeUInt32BE(crc32c(body) >>> 0);
    expect(decodeProducerSnapshot(Buffer.concat([body, crc]))).toEqual({
      logEndOffset: 42,
      lastTransactionalOffset: -1,
      entries: [
        {
          producerId: 7,
          producerEpoch: 2,
          batches: [
            { firstSequence: 0, lastSequence: 2, firstOffset: 40, lastOffset: 42, maxTimestamp: 1000 },
          ],
        },
      ],
    });
  });
});
