/**
 * The consumer protocol's subscription and assignment: round trips at every version, bytes spelled
 * out from Kafka's ConsumerProtocolSubscription/Assignment layouts (int16 version, then the struct in
 * classic encoding), Kafka's tolerance of newer versions, and what is refused.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Fields, StructType } from '../schema.js';
import { arbitraryStruct } from '../testing/arbitraries.js';
import { decodeErrorCode } from '../testing/decode-error.js';
import * as w from '../testing/wire-bytes.js';
import {
  CONSUMER_PROTOCOL_VERSIONS,
  ConsumerProtocolAssignment,
  ConsumerProtocolSubscription,
  decodeConsumerAssignment,
  decodeConsumerSubscription,
  encodeConsumerAssignment,
  encodeConsumerSubscription,
} from './consumer-protocol.js';

const SEED = Number(process.env.KAFKA_CODEC_SEED ?? 20261207);
const USER_DATA = Buffer.from([1, 2, 3]);

const versions: number[] = [];
for (let v = CONSUMER_PROTOCOL_VERSIONS.min; v <= CONSUMER_PROTOCOL_VERSIONS.max; v++) versions.push(v);

describe('round trips at every version (values derived from the definitions)', () => {
  for (const version of versions) {
    const context = { version, flexible: false };
    it(`subscription and assignment v${version} (seed ${SEED})`, () => {
      const subscriptions = arbitraryStruct(
        ConsumerProtocolSubscription as unknown as StructType<Fields>,
        context,
      );
      fc.assert(
        fc.property(subscriptions, (value) => {
          const bytes = encodeConsumerSubscription(value as never, version);
          expect(decodeConsumerSubscription(bytes)).toEqual({ ...(value as object), version });
        }),
        { seed: SEED, numRuns: 50 },
      );
      const assignments = arbitraryStruct(
        ConsumerProtocolAssignment as unknown as StructType<Fields>,
        context,
      );
      fc.assert(
        fc.property(assignments, (value) => {
          const bytes = encodeConsumerAssignment(value as never, version);
          expect(decodeConsumerAssignment(bytes)).toEqual({ ...(value as object), version });
        }),
        { seed: SEED, numRuns: 50 },
      );
    });
  }
});

describe('the bytes', () => {
  it('subscription v0: Version [Topics] UserData', () => {
    const bytes = w.concat(w.int16(0), w.array(w.string('a'), w.string('b')), w.bytes(USER_DATA));
    const value = {
      topics: ['a', 'b'],
      userData: USER_DATA,
      ownedPartitions: [],
      generationId: -1,
      rackId: null,
    };
    expect(encodeConsumerSubscription(value, 0).toString('hex')).toBe(bytes.toString('hex'));
    expect(decodeConsumerSubscription(bytes)).toEqual({ ...value, version: 0 });
  });

  it('subscription v3: ... [OwnedPartitions] GenerationId RackId', () => {
    const bytes = w.concat(
      w.int16(3),
      w.array(w.string('a')),
      w.bytes(null),
      w.array(w.concat(w.string('a'), w.array(w.int32(0), w.int32(2)))),
      w.int32(7),
      w.string('rack-1'),
    );
    const value = {
      topics: ['a'],
      userData: null,
      ownedPartitions: [{ topic: 'a', partitions: [0, 2] }],
      generationId: 7,
      rackId: 'rack-1',
    };
    expect(encodeConsumerSubscription(value).toString('hex')).toBe(bytes.toString('hex'));
    expect(decodeConsumerSubscription(bytes)).toEqual({ ...value, version: 3 });
  });

  it('assignment: Version [AssignedPartitions] UserData, the same layout at every version', () => {
    for (const version of versions) {
      const bytes = w.concat(
        w.int16(version),
        w.array(w.concat(w.string('a'), w.array(w.int32(1))), w.concat(w.string('b'), w.array())),
        w.bytes(Buffer.alloc(0)),
      );
      const value = {
        assignedPartitions: [
          { topic: 'a', partitions: [1] },
          { topic: 'b', partitions: [] },
        ],
        userData: Buffer.alloc(0),
      };
      expect(encodeConsumerAssignment(value, version).toString('hex')).toBe(bytes.toString('hex'));
      expect(decodeConsumerAssignment(bytes)).toEqual({ ...value, version });
    }
  });
});

describe("Kafka's version rules", () => {
  it('reads a newer version with the v3 layout and ignores what follows', () => {
    const bytes = w.concat(
      w.int16(9),
      w.array(w.string('a')),
      w.bytes(null),
      w.array(),
      w.int32(4),
      w.string(null),
      w.int64(123), // a field some future version appends
    );
    expect(decodeConsumerSubscription(bytes)).toEqual({
      topics: ['a'],
      userData: null,
      ownedPartitions: [],
      generationId: 4,
      rackId: null,
      version: 9,
    });
    const assignment = w.concat(w.int16(4), w.array(), w.bytes(null), w.string('future'));
    expect(decodeConsumerAssignment(assignment)).toEqual({
      assignedPartitions: [],
      userData: null,
      version: 4,
    });
  });

  it('ignores bytes after a known version, as Kafka never checks for them', () => {
    const bytes = w.concat(w.int16(0), w.array(w.string('a')), w.bytes(null), w.array());
    expect(decodeConsumerSubscription(bytes).ownedPartitions).toEqual([]);
  });

  it('refuses a negative version, a missing or cut-short body, and null topics', () => {
    const negative = w.concat(w.int16(-1), w.array(), w.bytes(null));
    expect(decodeErrorCode(() => decodeConsumerSubscription(negative))).toBe('BAD_VALUE');
    expect(decodeErrorCode(() => decodeConsumerAssignment(negative))).toBe('BAD_VALUE');
    expect(decodeErrorCode(() => decodeConsumerAssignment(Buffer.alloc(0)))).toBe('TRUNCATED');
    expect(decodeErrorCode(() => decodeConsumerSubscription(Buffer.of(0)))).toBe('TRUNCATED');
    const full = w.concat(
      w.int16(3),
      w.array(w.string('a')),
      w.bytes(null),
      w.array(),
      w.int32(1),
      w.string('r1'),
    );
    expect(decodeErrorCode(() => decodeConsumerSubscription(full.subarray(0, full.length - 1)))).toBe(
      'TRUNCATED',
    );
    expect(
      decodeErrorCode(() => decodeConsumerSubscription(w.concat(w.int16(0), w.NULL_ARRAY, w.bytes(null)))),
    ).toBe('BAD_VALUE');
    expect(decodeErrorCode(() => decodeConsumerAssignment(w.concat(w.int16(0), w.int32(1_000_000))))).toBe(
      'BAD_LENGTH',
    );
  });

  it('writes only the versions it knows', () => {
    const value = { assignedPartitions: [], userData: null };
    expect(() => encodeConsumerAssignment(value, CONSUMER_PROTOCOL_VERSIONS.max + 1)).toThrow(
      /not one this codec/,
    );
    expect(() => encodeConsumerAssignment(value, -1)).toThrow(/not one this codec/);
  });
});
