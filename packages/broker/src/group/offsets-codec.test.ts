import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  decodeOffsetKey,
  decodeOffsetValue,
  encodeOffsetKey,
  encodeOffsetValue,
  offsetKeyVersion,
} from './offsets-codec.js';

/** Golden bytes: Kafka's OffsetCommitKey v1 / OffsetCommitValue v3 layouts, written out by hand. */
const GOLDEN_KEY = '0001' + '0002' + '6731' + '0003' + '746f70' + '00000007';
const GOLDEN_VALUE = '0003' + '000000000000002a' + '00000005' + '0002' + '6d64' + '0000018c0a1b2c3d';

describe('offsets codec', () => {
  it('encodes the golden key and value', () => {
    expect(encodeOffsetKey({ group: 'g1', topic: 'top', partition: 7 }).toString('hex')).toBe(GOLDEN_KEY);
    const value = { offset: 42, leaderEpoch: 5, metadata: 'md', commitTimestampMs: 0x18c0a1b2c3d };
    expect(encodeOffsetValue(value).toString('hex')).toBe(GOLDEN_VALUE);
  });

  it('decodes the golden key and value', () => {
    expect(decodeOffsetKey(Buffer.from(GOLDEN_KEY, 'hex'))).toEqual({
      group: 'g1',
      topic: 'top',
      partition: 7,
    });
    expect(decodeOffsetValue(Buffer.from(GOLDEN_VALUE, 'hex'))).toEqual({
      offset: 42,
      leaderEpoch: 5,
      metadata: 'md',
      commitTimestampMs: 0x18c0a1b2c3d,
    });
    expect(offsetKeyVersion(Buffer.from(GOLDEN_KEY, 'hex'))).toBe(1);
    expect(offsetKeyVersion(Buffer.from('0002', 'hex'))).toBeNull();
  });

  it('round-trips any key and value', () => {
    fc.assert(
      fc.property(
        fc.string({ maxLength: 40 }),
        fc.string({ maxLength: 40 }),
        fc.integer({ min: 0, max: 0x7fff_ffff }),
        fc.integer({ min: 0, max: Number.MAX_SAFE_INTEGER }),
        fc.integer({ min: -1, max: 0x7fff_ffff }),
        fc.string({ maxLength: 100 }),
        fc.integer({ min: 0, max: Number.MAX_SAFE_INTEGER }),
        (group, topic, partition, offset, leaderEpoch, metadata, commitTimestampMs) => {
          const key = { group, topic, partition };
          expect(decodeOffsetKey(encodeOffsetKey(key))).toEqual(key);
          const value = { offset, leaderEpoch, metadata, commitTimestampMs };
          expect(decodeOffsetValue(encodeOffsetValue(value))).toEqual(value);
        },
      ),
    );
  });

  it('refuses wrong versions, truncation and trailing bytes with CORRUPT_MESSAGE', () => {
    const bad = [
      () => decodeOffsetKey(Buffer.from(`0005${GOLDEN_KEY.slice(4)}`, 'hex')),
      () => decodeOffsetKey(Buffer.from(GOLDEN_KEY.slice(0, -2), 'hex')),
      () => decodeOffsetKey(Buffer.from(`${GOLDEN_KEY}00`, 'hex')),
      () => decodeOffsetValue(Buffer.from(`0001${GOLDEN_VALUE.slice(4)}`, 'hex')),
      () => decodeOffsetValue(Buffer.from(GOLDEN_VALUE.slice(0, -2), 'hex')),
      () => decodeOffsetValue(Buffer.from(`${GOLDEN_VALUE}ff`, 'hex')),
      () => decodeOffsetValue(Buffer.from(`0003ffffffffffffffff${GOLDEN_VALUE.slice(20)}`, 'hex')),
      () => offsetKeyVersion(Buffer.from('00', 'hex')),
    ];
    for (const decode of bad) expect(decode).toThrow(expect.objectContaining({ code: 'CORRUPT_MESSAGE' }));
  });

  it('refuses to encode what it could not decode', () => {
    expect(() =>
      encodeOffsetValue({ offset: -1, leaderEpoch: -1, metadata: '', commitTimestampMs: 0 }),
    ).toThrow(expect.objectContaining({ code: 'INVALID_REQUEST' }));
    expect(() => encodeOffsetKey({ group: 'g'.repeat(40_000), topic: 't', partition: 0 })).toThrow(
      expect.objectContaining({ code: 'INVALID_REQUEST' }),
    );
  });
});
