/**
 * The decoders of the data-plane APIs refuse what a version does not allow, with the right
 * KafkaProtocolError code: a body cut short (TRUNCATED, or BAD_LENGTH when a count no longer fits), a
 * count larger than the bytes left (BAD_LENGTH), a null where the version has no null (BAD_VALUE),
 * bytes after the body (TRAILING_BYTES), tags out of order (BAD_TAG).
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  type ApiDefinition,
  contextOf,
  decodeRequestBytes,
  decodeResponseBytes,
  encodeRequestBody,
  encodeResponseBody,
} from '../api.js';
import { KafkaProtocolError, type KafkaProtocolErrorCode } from '../errors.js';
import { KAFKA_LIMITS } from '../limits.js';
import { arbitraryRequest, arbitraryResponse } from '../testing/arbitraries.js';
import {
  array,
  bool,
  COMPACT_NULL_ARRAY,
  compactArray,
  compactBytes,
  compactString,
  concat,
  int8,
  int16,
  int32,
  int64,
  NO_TAGS,
  NULL_ARRAY,
  string,
  tagBuffer,
  uuid,
  uvarint,
} from '../testing/wire-bytes.js';
import { DeleteRecords } from './delete-records.js';
import { DescribeCluster } from './describe-cluster.js';
import { Fetch } from './fetch.js';
import { InitProducerId } from './init-producer-id.js';
import { ListOffsets } from './list-offsets.js';
import { Metadata } from './metadata.js';
import { OffsetForLeaderEpoch } from './offset-for-leader-epoch.js';
import { Produce } from './produce.js';

const SEED = Number(process.env.KAFKA_CODEC_SEED ?? 20261207);
const RUNS = 40;
const TOPIC_ID = '6e1a4c2d-9b0f-4d7e-8a31-52c4f0b9d713';

const APIS = [
  Produce,
  Fetch,
  ListOffsets,
  Metadata,
  OffsetForLeaderEpoch,
  InitProducerId,
  DeleteRecords,
  DescribeCluster,
] as unknown as readonly ApiDefinition[];

function decodeError(decode: () => unknown): KafkaProtocolError {
  try {
    decode();
  } catch (error) {
    if (error instanceof KafkaProtocolError) return error;
    throw error;
  }
  throw new Error('decoded without an error');
}

function expectCode(decode: () => unknown, code: KafkaProtocolErrorCode): void {
  expect(decodeError(decode).code).toBe(code);
}

type Side = 'request' | 'response';

function encodedBodies(api: ApiDefinition, version: number, side: Side): fc.Arbitrary<Buffer> {
  const { flexible } = contextOf(api, version);
  return side === 'request'
    ? arbitraryRequest(api, version, flexible).map((v) =>
        encodeRequestBody(api, version, v as never).toBuffer(),
      )
    : arbitraryResponse(api, version, flexible).map((v) =>
        encodeResponseBody(api, version, v as never).toBuffer(),
      );
}

function decoder(api: ApiDefinition, version: number, side: Side): (bytes: Buffer) => unknown {
  return side === 'request'
    ? (bytes) => decodeRequestBytes(api, version, bytes)
    : (bytes) => decodeResponseBytes(api, version, bytes);
}

describe('every body of every version, cut short or followed by a byte, is refused', () => {
  for (const api of APIS) {
    for (let version = api.versions.min; version <= api.versions.max; version++) {
      it(`${api.name} v${version} (seed ${SEED})`, () => {
        for (const side of ['request', 'response'] as const) {
          const decode = decoder(api, version, side);
          fc.assert(
            fc.property(encodedBodies(api, version, side), fc.nat(), (body, cut) => {
              // A count checked against the bytes left fails before the read that would run out.
              const code = decodeError(() => decode(body.subarray(0, cut % body.length))).code;
              expect(['TRUNCATED', 'BAD_LENGTH']).toContain(code);
              expectCode(() => decode(Buffer.concat([body, Buffer.of(0)])), 'TRAILING_BYTES');
            }),
            { seed: SEED, numRuns: RUNS },
          );
        }
      });
    }
  }
});

describe('a body cut short', () => {
  it('InitProducerId v0: the transaction timeout loses its last byte', () => {
    const error = decodeError(() =>
      decodeRequestBytes(InitProducerId, 0, concat(string('tx'), int32(60_000)).subarray(0, 7)),
    );
    expect(error.code).toBe('TRUNCATED');
    expect(error.position).toBe(4);
  });

  it('Fetch v12: a record set longer than the frame (a view is never read past its end)', () => {
    const partition = concat(
      int32(0),
      int16(0),
      int64(1),
      int64(1),
      int64(0),
      COMPACT_NULL_ARRAY,
      int32(-1),
      uvarint(1_001),
    );
    const body = concat(
      int32(0),
      int16(0),
      int32(0),
      compactArray(concat(compactString('t'), compactArray(partition))),
      Buffer.alloc(10),
    );
    expectCode(() => decodeResponseBytes(Fetch, 12, body), 'TRUNCATED');
  });
});

describe('counts larger than the bytes left', () => {
  it('Produce v3: a million topics in a dozen bytes', () => {
    const body = concat(string(null), int16(1), int32(1_000), int32(1_000_000), string('t'));
    const error = decodeError(() => decodeRequestBytes(Produce, 3, body));
    expect(error.code).toBe('BAD_LENGTH');
    expect(error.position).toBe(8);
  });

  it('Fetch v12: a compact array of partitions claiming more than is left', () => {
    const body = concat(
      int32(-1),
      int32(500),
      int32(1),
      int32(1_024),
      int8(0),
      int32(0),
      int32(-1),
      compactArray(concat(compactString('t'), uvarint(50_001))),
    );
    expectCode(() => decodeRequestBytes(Fetch, 12, body), 'BAD_LENGTH');
  });

  it('Metadata v0: more brokers than KAFKA_LIMITS allows, whatever the bytes left', () => {
    const body = concat(int32(KAFKA_LIMITS.arrayElementsMax + 1), Buffer.alloc(64));
    expectCode(() => decodeResponseBytes(Metadata, 0, body), 'BAD_LENGTH');
  });

  it('ListOffsets v0: an old-style offset array longer than the bytes left', () => {
    const partition = concat(int32(0), int16(0), int32(3), int64(1), int64(2));
    expectCode(
      () => decodeResponseBytes(ListOffsets, 0, array(concat(string('t'), array(partition)))),
      'BAD_LENGTH',
    );
  });

  it('a negative string length other than -1', () => {
    expectCode(() => decodeRequestBytes(DeleteRecords, 0, concat(int32(1), int16(-2))), 'BAD_LENGTH');
  });
});

describe('a null where the version allows none', () => {
  it('Metadata: a null topic array is "all topics" from v1 only', () => {
    expectCode(() => decodeRequestBytes(Metadata, 0, NULL_ARRAY), 'BAD_VALUE');
    expect(decodeRequestBytes(Metadata, 1, NULL_ARRAY).topics).toBeNull();
  });

  it('Metadata: a requested topic may lack a name from v10, a response topic from v12', () => {
    const flags = concat(bool(true), bool(false), bool(false)); // v8-v10: auto-create, cluster ops, topic ops
    const v9Request = concat(compactArray(concat(compactString(null), NO_TAGS)), flags, NO_TAGS);
    expectCode(() => decodeRequestBytes(Metadata, 9, v9Request), 'BAD_VALUE');
    const v10Request = concat(
      compactArray(concat(uuid(TOPIC_ID), compactString(null), NO_TAGS)),
      flags,
      NO_TAGS,
    );
    expect(decodeRequestBytes(Metadata, 10, v10Request).topics).toEqual([{ topicId: TOPIC_ID, name: null }]);

    // v11 and v12 responses have the same layout; only v12 lets the name be null.
    const response = concat(
      int32(0),
      compactArray(),
      compactString(null),
      int32(-1),
      compactArray(
        concat(
          int16(100),
          compactString(null),
          uuid(TOPIC_ID),
          bool(false),
          compactArray(),
          int32(0),
          NO_TAGS,
        ),
      ),
      NO_TAGS,
    );
    expectCode(() => decodeResponseBytes(Metadata, 11, response), 'BAD_VALUE');
    expect(decodeResponseBytes(Metadata, 12, response).topics[0]?.name).toBeNull();
  });

  it('Produce v3: a null topic name in the response', () => {
    const body = concat(array(concat(string(null), array())), int32(0));
    expectCode(() => decodeResponseBytes(Produce, 3, body), 'BAD_VALUE');
  });

  it('Fetch v12: a null topic name, and a null forgotten-partitions array', () => {
    const prefix = concat(int32(-1), int32(500), int32(1), int32(1_024), int8(0), int32(0), int32(-1));
    const nullName = concat(
      prefix,
      compactArray(concat(compactString(null), compactArray(), NO_TAGS)),
      compactArray(),
      compactString(''),
      NO_TAGS,
    );
    expectCode(() => decodeRequestBytes(Fetch, 12, nullName), 'BAD_VALUE');
    const nullForgotten = concat(
      prefix,
      compactArray(),
      compactArray(concat(compactString('t'), COMPACT_NULL_ARRAY, NO_TAGS)),
      compactString(''),
      NO_TAGS,
    );
    expectCode(() => decodeRequestBytes(Fetch, 12, nullForgotten), 'BAD_VALUE');
  });

  it('DescribeCluster: the cluster id is never null', () => {
    const body = concat(
      int32(0),
      int16(0),
      compactString(null),
      compactString(null),
      int32(1),
      compactArray(),
      int32(0),
      NO_TAGS,
    );
    expectCode(() => decodeResponseBytes(DescribeCluster, 0, body), 'BAD_VALUE');
  });

  it('the encoder refuses the same nulls', () => {
    const value = {
      topics: null,
      allowAutoTopicCreation: true,
      includeClusterAuthorizedOperations: false,
      includeTopicAuthorizedOperations: false,
    };
    expect(() => encodeRequestBody(Metadata, 0, value)).toThrow(/may not be null/);
    expect(encodeRequestBody(Metadata, 1, value).toBuffer()).toEqual(NULL_ARRAY);
  });
});

describe('tagged fields (KIP-482)', () => {
  const fetchResponse = (partitionTags: Buffer) =>
    concat(
      int32(0),
      int16(0),
      int32(0),
      compactArray(
        concat(
          compactString('t'),
          compactArray(
            concat(
              int32(0),
              int16(0),
              int64(1),
              int64(1),
              int64(0),
              COMPACT_NULL_ARRAY,
              int32(-1),
              compactBytes(null),
              partitionTags,
            ),
          ),
          NO_TAGS,
        ),
      ),
      NO_TAGS,
    );
  const leader = concat(int32(1), int32(4), NO_TAGS);
  const diverging = concat(int32(3), int64(8), NO_TAGS);

  it('tags must ascend', () => {
    expectCode(
      () => decodeResponseBytes(Fetch, 12, fetchResponse(tagBuffer([1, leader], [0, diverging]))),
      'BAD_TAG',
    );
    expectCode(
      () => decodeResponseBytes(Fetch, 12, fetchResponse(tagBuffer([1, leader], [1, leader]))),
      'BAD_TAG',
    );
  });

  it('an unknown tag is skipped, a known one with bytes after its value is refused', () => {
    const decoded = decodeResponseBytes(
      Fetch,
      12,
      fetchResponse(tagBuffer([1, leader], [9, Buffer.of(1, 2, 3)])),
    );
    expect(decoded.responses[0]?.partitions[0]?.currentLeader).toEqual({ leaderId: 1, leaderEpoch: 4 });
    expectCode(
      () => decodeResponseBytes(Fetch, 12, fetchResponse(tagBuffer([1, concat(leader, Buffer.of(0))]))),
      'TRAILING_BYTES',
    );
  });

  it('a tag whose size passes the bytes left', () => {
    const tags = concat(uvarint(1), uvarint(1), uvarint(200), leader);
    expectCode(() => decodeResponseBytes(Fetch, 12, fetchResponse(tags)), 'TRUNCATED');
  });

  it('the nullable ClusterId tag of a Fetch v12 request: absent and null both decode to null', () => {
    const request = (tags: Buffer) =>
      concat(
        int32(-1),
        int32(500),
        int32(1),
        int32(1_024),
        int8(0),
        int32(0),
        int32(-1),
        compactArray(),
        compactArray(),
        compactString(''),
        tags,
      );
    expect(decodeRequestBytes(Fetch, 12, request(NO_TAGS)).clusterId).toBeNull();
    expect(decodeRequestBytes(Fetch, 12, request(tagBuffer([0, compactString(null)]))).clusterId).toBeNull();
    expect(decodeRequestBytes(Fetch, 12, request(tagBuffer([0, compactString('c')]))).clusterId).toBe('c');
  });
});
