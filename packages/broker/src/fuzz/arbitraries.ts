/**
 * fast-check arbitraries for malformed, truncated, oversized and boundary-valued requests of the
 * Broker, Replication and GroupCoordinator services (the controller's services have their own in
 * packages/controller/src/fuzz). Field values stay inside what the wire type can carry (a uint32 is
 * 0..2^32-1) because protobuf itself would wrap anything else; raw bytes that are not a valid message
 * are sent separately (raw-client.ts).
 */
import { crc32c, encodeRecordBatch } from '@tributary/records';
import fc from 'fast-check';

/** Kafka RecordBatch v2 header positions (DESIGN §4): where one corrupted field goes. */
const BATCH = {
  lengthOffset: 8,
  magicOffset: 16,
  crcOffset: 17,
  attributesOffset: 21,
  /** The CRC covers the bytes from the attributes to the end of the batch. */
  crcStartOffset: 21,
  lastOffsetDeltaOffset: 23,
  recordCountOffset: 57,
} as const;

export const UINT32_MAX = 0xffff_ffff;
const INT32_MIN = -0x8000_0000;
const INT32_MAX = 0x7fff_ffff;

export const uint32 = (): fc.Arbitrary<number> =>
  fc.oneof(
    fc.constantFrom(0, 1, INT32_MAX, INT32_MAX + 1, UINT32_MAX),
    fc.nat(100),
    fc.integer({ min: 0, max: UINT32_MAX }),
  );

export const int32 = (): fc.Arbitrary<number> =>
  fc.oneof(
    fc.constantFrom(-1, 0, 1, INT32_MIN, INT32_MAX),
    fc.integer({ min: -5, max: 100 }),
    fc.integer({ min: INT32_MIN, max: INT32_MAX }),
  );

/** int64 with `longs: Number`: also values past 2^53, which decode to unsafe numbers. */
export const int64 = (): fc.Arbitrary<number> =>
  fc.oneof(
    fc.constantFrom(-1, -2, 0, 1, Number.MAX_SAFE_INTEGER, -Number.MAX_SAFE_INTEGER, 2 ** 60, -(2 ** 60)),
    fc.integer({ min: -5, max: 1_000 }),
    fc.maxSafeInteger(),
  );

export const uint64 = (): fc.Arbitrary<number> =>
  fc.oneof(fc.constantFrom(0, 1, Number.MAX_SAFE_INTEGER, 2 ** 60), fc.nat(1_000), fc.maxSafeNat());

/** Names that are empty, too long, reserved, badly formed, or one that exists (`known`). */
export function nastyString(known: readonly string[] = []): fc.Arbitrary<string> {
  const specials = [
    '',
    '.',
    '..',
    '__consumer_offsets',
    'bad name!',
    'a/b',
    '\u0000',
    'ü-topic',
    'x'.repeat(250),
  ];
  return fc.oneof(
    { weight: 3, arbitrary: fc.constantFrom(...specials, ...known) },
    { weight: 3, arbitrary: fc.string({ maxLength: 40 }) },
    { weight: 1, arbitrary: fc.string({ unit: 'binary', maxLength: 300 }) },
    { weight: 1, arbitrary: fc.constant('y'.repeat(100_000)) },
  );
}

/** Short lists usually; now and then one long enough to pass a count limit (1,000 topics, 10,000 partitions). */
export function list<T, H>(item: fc.Arbitrary<T>, hugeItem: H): fc.Arbitrary<Array<T | H>> {
  return fc.oneof(
    { weight: 8, arbitrary: fc.array<T | H>(item, { maxLength: 4 }) },
    { weight: 1, arbitrary: fc.constant(Array.from({ length: 12_000 }, () => hugeItem)) },
  );
}

function validBatch(): fc.Arbitrary<Buffer> {
  const record = fc.record({
    key: fc.option(
      fc.uint8Array({ maxLength: 16 }).map((a) => Buffer.from(a)),
      { nil: null },
    ),
    value: fc.option(
      fc.uint8Array({ maxLength: 64 }).map((a) => Buffer.from(a)),
      { nil: null },
    ),
    timestampMs: fc.integer({ min: 0, max: 2 ** 41 }),
  });
  return fc.array(record, { minLength: 1, maxLength: 5 }).map((records) => encodeRecordBatch({ records }));
}

function withCrcFixed(batch: Buffer): Buffer {
  batch.writeUInt32BE(crc32c(batch.subarray(BATCH.crcStartOffset)), BATCH.crcOffset);
  return batch;
}

/** A valid batch with exactly one field damaged; the CRC recomputed or not, so checks past the CRC run too. */
function corruptedBatch(): fc.Arbitrary<Buffer> {
  const damage = fc.oneof(
    fc.record({ field: fc.constant('crc' as const), value: fc.integer({ min: 0, max: UINT32_MAX }) }),
    fc.record({
      field: fc.constant('length' as const),
      value: fc.integer({ min: INT32_MIN, max: INT32_MAX }),
    }),
    fc.record({ field: fc.constant('magic' as const), value: fc.integer({ min: -128, max: 127 }) }),
    fc.record({
      field: fc.constant('count' as const),
      value: fc.integer({ min: INT32_MIN, max: INT32_MAX }),
    }),
    fc.record({
      field: fc.constant('delta' as const),
      value: fc.integer({ min: INT32_MIN, max: INT32_MAX }),
    }),
    fc.record({
      field: fc.constant('attributes' as const),
      value: fc.integer({ min: -32_768, max: 32_767 }),
    }),
  );
  return fc.tuple(validBatch(), damage, fc.boolean()).map(([batch, { field, value }, fixCrc]) => {
    const copy = Buffer.from(batch);
    if (field === 'crc') copy.writeUInt32BE(value, BATCH.crcOffset);
    else if (field === 'length') copy.writeInt32BE(value, BATCH.lengthOffset);
    else if (field === 'magic') copy.writeInt8(value, BATCH.magicOffset);
    else if (field === 'attributes') copy.writeInt16BE(value, BATCH.attributesOffset);
    else if (field === 'count') copy.writeInt32BE(value, BATCH.recordCountOffset);
    else copy.writeInt32BE(value, BATCH.lastOffsetDeltaOffset);
    // A damaged CRC, length or magic is caught first; the other fields are only reached with a valid CRC.
    const fixable = field === 'count' || field === 'delta' || field === 'attributes';
    return fixable && fixCrc ? withCrcFixed(copy) : copy;
  });
}

/** Record bytes: random, empty, valid, truncated, with garbage after, one field corrupted, or large. */
export function recordBytes(): fc.Arbitrary<Buffer> {
  return fc.oneof(
    fc.uint8Array({ maxLength: 200 }).map((a) => Buffer.from(a)),
    fc.constant(Buffer.alloc(0)),
    validBatch(),
    fc
      .tuple(validBatch(), fc.nat())
      .map(([batch, cut]) => batch.subarray(0, cut % Math.max(1, batch.length))),
    fc
      .tuple(validBatch(), fc.uint8Array({ minLength: 1, maxLength: 70 }))
      .map(([batch, tail]) => Buffer.concat([batch, tail])),
    fc.tuple(validBatch(), validBatch()).map(([a, b]) => Buffer.concat([a, b])),
    corruptedBatch(),
    fc.integer({ min: 1, max: 1024 * 1024 }).map((size) => Buffer.alloc(size, 0x5a)),
  );
}
