import { describe, expect, it } from 'vitest';
import {
  decodeControlBatchMarker,
  decodeControlRecord,
  encodeControlBatch,
  encodeControlKey,
  encodeControlValue,
} from './control.js';
import { crc32cBitwise } from './crc32c.js';
import { encodeRecordBatch } from './encode.js';
import { RecordBatchError } from './errors.js';

/**
 * The expected bytes of a COMMIT marker batch, written field by field from Kafka's documented layouts
 * (RecordBatch v2, Record v2, ControlRecordType key, EndTransactionMarker value): not produced by our encoder.
 */
function handBuiltCommitBatch(): Buffer {
  const record = Buffer.from(
    [
      '20', // record length 16, zigzag varint
      '00', // record attributes
      '00', // timestampDelta 0
      '00', // offsetDelta 0
      '08', // key length 4
      '0000', // key version 0
      '0001', // type 1 = COMMIT
      '0c', // value length 6
      '0000', // value version 0
      '00000007', // coordinator epoch 7
      '00', // no headers
    ].join(''),
    'hex',
  );
  const header = Buffer.from(
    [
      '0000000000000000', // base offset (the leader stamps it)
      '00000042', // batch length: 61 + 17 - 12 = 66
      'ffffffff', // partition leader epoch: none yet
      '02', // magic
      '00000000', // crc, filled below
      '0030', // attributes: transactional (0x10) | control (0x20)
      '00000000', // last offset delta
      '0000018bcfe56800', // base timestamp 1_700_000_000_000
      '0000018bcfe56800', // max timestamp
      '00000000000003e9', // producer id 1001
      '0004', // producer epoch 4
      'ffffffff', // base sequence -1
      '00000001', // one record
    ].join(''),
    'hex',
  );
  const batch = Buffer.concat([header, record]);
  batch.writeUInt32BE(crc32cBitwise(batch.subarray(21)) >>> 0, 17);
  return batch;
}

describe('control records', () => {
  it('encodes a commit marker batch as Kafka lays it out', () => {
    const encoded = encodeControlBatch({
      producerId: 1001,
      producerEpoch: 4,
      marker: 'commit',
      coordinatorEpoch: 7,
      timestampMs: 1_700_000_000_000,
    });
    expect(encoded.toString('hex')).toBe(handBuiltCommitBatch().toString('hex'));
    expect(decodeControlBatchMarker(encoded)).toEqual({ marker: 'commit', coordinatorEpoch: 7 });
  });

  it('encodes key and value of an abort marker', () => {
    expect(encodeControlKey('abort').toString('hex')).toBe('00000000');
    expect(encodeControlKey('commit').toString('hex')).toBe('00000001');
    expect(encodeControlValue(-1).toString('hex')).toBe('0000ffffffff');
    expect(decodeControlRecord(encodeControlKey('abort'), encodeControlValue(12))).toEqual({
      marker: 'abort',
      coordinatorEpoch: 12,
    });
  });

  it('reads longer keys and values (fields a later version may add)', () => {
    const key = Buffer.from('0000000000ff', 'hex');
    const value = Buffer.from('0000000000090102', 'hex');
    expect(decodeControlRecord(key, value)).toEqual({ marker: 'abort', coordinatorEpoch: 9 });
  });

  it.each([
    ['a null key', null, encodeControlValue(0)],
    ['a short key', Buffer.from('0000', 'hex'), encodeControlValue(0)],
    ['an unknown key version', Buffer.from('00010001', 'hex'), encodeControlValue(0)],
    ['an unknown type', Buffer.from('00000002', 'hex'), encodeControlValue(0)],
    ['a null value', encodeControlKey('commit'), null],
    ['a short value', encodeControlKey('commit'), Buffer.from('000000', 'hex')],
    ['an unknown value version', encodeControlKey('commit'), Buffer.from('000100000000', 'hex')],
  ])('refuses %s', (_name, key, value) => {
    expect(() => decodeControlRecord(key, value)).toThrow(RecordBatchError);
  });

  it('refuses a batch that is not a one-record control batch', () => {
    const record = { key: encodeControlKey('abort'), value: encodeControlValue(0), timestampMs: 5 };
    const data = encodeRecordBatch({ records: [record] });
    const two = encodeRecordBatch({ isControl: true, isTransactional: true, records: [record, record] });
    expect(() => decodeControlBatchMarker(data)).toThrow(RecordBatchError);
    expect(() => decodeControlBatchMarker(two)).toThrow(/exactly one record/);
  });
});
