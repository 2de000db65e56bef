import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  decodeTxnLogKey,
  decodeTxnLogValue,
  decodeTxnStateRecord,
  encodeTxnLogKey,
  encodeTxnLogValue,
  type TxnLogValue,
  txnLogKeyVersion,
} from './txn-log-codec.js';

/**
 * Golden bytes written out by hand from Kafka's TransactionLogKey v0 / TransactionLogValue v0 schemas
 * (transaction-coordinator/src/main/resources/common/message): version int16, then the fields in
 * schema order, strings as int16 length + UTF-8, arrays as int32 count (-1 = null).
 */
const GOLDEN_KEY = '0000' + '0003' + '747831'; // "tx1"
const GOLDEN_PREPARE_COMMIT =
  '0000' + // value version 0
  '000000000000002a' + // ProducerId 42
  '0005' + // ProducerEpoch 5
  '0000ea60' + // TransactionTimeoutMs 60000
  '02' + // TransactionStatus PrepareCommit
  '00000002' + // two topics
  '0001' +
  '61' +
  '00000002' +
  '00000000' +
  '00000003' + // "a": [0, 3]
  '0002' +
  '6263' +
  '00000001' +
  '00000007' + // "bc": [7]
  '0000018c0a1b2c3d' + // TransactionLastUpdateTimestampMs
  '0000018c0a1b0000'; // TransactionStartTimestampMs
const GOLDEN_EMPTY =
  '0000' +
  '0000000000000007' + // ProducerId 7
  '0000' + // ProducerEpoch 0
  '000003e8' + // 1000 ms
  '00' + // Empty
  'ffffffff' + // null partitions, as Kafka writes Empty
  '0000000000000064' + // last update 100
  'ffffffffffffffff'; // no transaction started (-1)

const PREPARE_COMMIT: TxnLogValue = {
  producerId: 42,
  producerEpoch: 5,
  transactionTimeoutMs: 60_000,
  transactionStatus: 2,
  transactionPartitions: [
    { topic: 'a', partitionIds: [0, 3] },
    { topic: 'bc', partitionIds: [7] },
  ],
  transactionLastUpdateTimestampMs: 0x18c0a1b2c3d,
  transactionStartTimestampMs: 0x18c0a1b0000,
};
const EMPTY: TxnLogValue = {
  producerId: 7,
  producerEpoch: 0,
  transactionTimeoutMs: 1_000,
  transactionStatus: 0,
  transactionPartitions: null,
  transactionLastUpdateTimestampMs: 100,
  transactionStartTimestampMs: -1,
};

describe('transaction log codec', () => {
  it('encodes the golden key and values', () => {
    expect(encodeTxnLogKey('tx1').toString('hex')).toBe(GOLDEN_KEY);
    expect(encodeTxnLogValue(PREPARE_COMMIT).toString('hex')).toBe(GOLDEN_PREPARE_COMMIT);
    expect(encodeTxnLogValue(EMPTY).toString('hex')).toBe(GOLDEN_EMPTY);
  });

  it('decodes the golden key and values, and a tombstone', () => {
    expect(decodeTxnLogKey(Buffer.from(GOLDEN_KEY, 'hex'))).toBe('tx1');
    expect(txnLogKeyVersion(Buffer.from(GOLDEN_KEY, 'hex'))).toBe(0);
    expect(txnLogKeyVersion(Buffer.from('0001', 'hex'))).toBeNull();
    expect(decodeTxnLogValue(Buffer.from(GOLDEN_PREPARE_COMMIT, 'hex'))).toEqual(PREPARE_COMMIT);
    expect(decodeTxnLogValue(Buffer.from(GOLDEN_EMPTY, 'hex'))).toEqual(EMPTY);
    expect(decodeTxnStateRecord(Buffer.from(GOLDEN_KEY, 'hex'), null)).toEqual({
      transactionalId: 'tx1',
      value: null,
    });
  });

  it('round-trips any key and value', () => {
    const partitions = fc.array(
      fc.record({
        topic: fc.string({ maxLength: 20 }),
        partitionIds: fc.array(fc.integer({ min: 0, max: 0x7fff_ffff }), { maxLength: 5 }),
      }),
      { maxLength: 5 },
    );
    fc.assert(
      fc.property(
        fc.string({ maxLength: 40 }),
        fc.record({
          producerId: fc.integer({ min: 0, max: Number.MAX_SAFE_INTEGER }),
          producerEpoch: fc.integer({ min: 0, max: 0x7fff }),
          transactionTimeoutMs: fc.integer({ min: 1, max: 0x7fff_ffff }),
          transactionStatus: fc.integer({ min: 0, max: 7 }),
          transactionPartitions: fc.option(partitions, { nil: null }),
          transactionLastUpdateTimestampMs: fc.integer({ min: 0, max: Number.MAX_SAFE_INTEGER }),
          transactionStartTimestampMs: fc.integer({ min: -1, max: Number.MAX_SAFE_INTEGER }),
        }),
        (transactionalId, value) => {
          expect(decodeTxnLogKey(encodeTxnLogKey(transactionalId))).toBe(transactionalId);
          expect(decodeTxnLogValue(encodeTxnLogValue(value))).toEqual(value);
        },
      ),
    );
  });

  it('refuses wrong versions, bad fields, truncation and trailing bytes with CORRUPT_MESSAGE', () => {
    const value = GOLDEN_PREPARE_COMMIT;
    const bad = [
      () => decodeTxnLogKey(Buffer.from(`0001${GOLDEN_KEY.slice(4)}`, 'hex')),
      () => decodeTxnLogKey(Buffer.from(GOLDEN_KEY.slice(0, -2), 'hex')),
      () => decodeTxnLogKey(Buffer.from(`${GOLDEN_KEY}00`, 'hex')),
      () => decodeTxnLogKey(Buffer.from('0000ffff', 'hex')),
      () => decodeTxnLogValue(Buffer.from(`0001${value.slice(4)}`, 'hex')),
      () => decodeTxnLogValue(Buffer.from(value.slice(0, -2), 'hex')),
      () => decodeTxnLogValue(Buffer.from(`${value}ff`, 'hex')),
      // status 8 is no TransactionState
      () => decodeTxnLogValue(Buffer.from(`${value.slice(0, 32)}08${value.slice(34)}`, 'hex')),
      // a partition count far beyond the bytes left
      () => decodeTxnLogValue(Buffer.from(`${value.slice(0, 34)}7fffffff${value.slice(42)}`, 'hex')),
      // producer id -1
      () => decodeTxnLogValue(Buffer.from(`0000ffffffffffffffff${value.slice(20)}`, 'hex')),
      () => txnLogKeyVersion(Buffer.from('00', 'hex')),
    ];
    for (const decode of bad) expect(decode).toThrow(expect.objectContaining({ code: 'CORRUPT_MESSAGE' }));
  });

  it('refuses to encode what it could not decode', () => {
    const bad = [
      { ...EMPTY, producerEpoch: -1 },
      { ...EMPTY, producerId: -1 },
      { ...EMPTY, transactionTimeoutMs: 0 },
      { ...EMPTY, transactionStatus: 8 },
      { ...EMPTY, transactionPartitions: [{ topic: 'a', partitionIds: [-1] }] },
    ];
    for (const value of bad) {
      expect(() => encodeTxnLogValue(value)).toThrow(expect.objectContaining({ code: 'INVALID_REQUEST' }));
    }
    expect(() => encodeTxnLogKey('t'.repeat(40_000))).toThrow(
      expect.objectContaining({ code: 'INVALID_REQUEST' }),
    );
  });
});
