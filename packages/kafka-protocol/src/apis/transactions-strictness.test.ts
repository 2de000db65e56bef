/**
 * The decoders of the transaction APIs refuse what a version does not allow, with the right
 * KafkaProtocolError code: every body of every version cut short anywhere (TRUNCATED, or BAD_LENGTH when a
 * count no longer fits the bytes left) or followed by one byte more (TRAILING_BYTES); a null transactional id,
 * group or topic list (BAD_VALUE: none is nullable in any version); a bool other than 0 or 1 (BAD_VALUE); a
 * count larger than the bytes left (BAD_LENGTH); tags out of order (BAD_TAG). Unknown tags are skipped
 * (KIP-482), and the nulls Kafka allows (TxnOffsetCommit's metadata and group instance id) decode.
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
import { arbitraryRequest, arbitraryResponse } from '../testing/arbitraries.js';
import { decodeErrorCode } from '../testing/decode-error.js';
import * as w from '../testing/wire-bytes.js';
import { DescribeTransactions, ListTransactions, WriteTxnMarkers } from './transaction-admin.js';
import { AddOffsetsToTxn, AddPartitionsToTxn, EndTxn, TxnOffsetCommit } from './transactions.js';

const SEED = Number(process.env.KAFKA_CODEC_SEED ?? 20261207);
const RUNS = 30;
const { NO_TAGS } = w;

const APIS = [
  AddPartitionsToTxn,
  AddOffsetsToTxn,
  EndTxn,
  WriteTxnMarkers,
  TxnOffsetCommit,
  DescribeTransactions,
  ListTransactions,
] as unknown as readonly ApiDefinition[];

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
              // Every body here has at least one fixed-size field or an array count: never empty.
              expect(body.length).toBeGreaterThan(0);
              expect(['TRUNCATED', 'BAD_LENGTH']).toContain(
                decodeErrorCode(() => decode(body.subarray(0, cut % body.length))),
              );
              expect(decodeErrorCode(() => decode(Buffer.concat([body, Buffer.of(0)])))).toBe(
                'TRAILING_BYTES',
              );
            }),
            { seed: SEED, numRuns: RUNS },
          );
        }
      });
    }
  }
});

describe('nulls, bools, counts and tags', () => {
  it('a null transactional id is refused in every classic and flexible request', () => {
    const producer = w.concat(w.int64(1), w.int16(0));
    expect(
      decodeErrorCode(() =>
        decodeRequestBytes(AddPartitionsToTxn, 0, w.concat(w.string(null), producer, w.array())),
      ),
    ).toBe('BAD_VALUE');
    expect(
      decodeErrorCode(() =>
        decodeRequestBytes(
          AddOffsetsToTxn,
          3,
          w.concat(w.compactString(null), producer, w.compactString('g'), NO_TAGS),
        ),
      ),
    ).toBe('BAD_VALUE');
    expect(
      decodeErrorCode(() => decodeRequestBytes(EndTxn, 1, w.concat(w.string(null), producer, w.bool(true)))),
    ).toBe('BAD_VALUE');
    const batched = w.concat(
      w.compactArray(w.concat(w.compactString(null), producer, w.bool(false), w.compactArray(), NO_TAGS)),
      NO_TAGS,
    );
    expect(decodeErrorCode(() => decodeRequestBytes(AddPartitionsToTxn, 4, batched))).toBe('BAD_VALUE');
  });

  it('a null group id or topic list is refused; null metadata and group instance id decode', () => {
    const head = w.concat(w.string('tx'), w.string(null), w.int64(1), w.int16(0), w.array());
    expect(decodeErrorCode(() => decodeRequestBytes(TxnOffsetCommit, 0, head))).toBe('BAD_VALUE');
    const nullTopics = w.concat(w.string('tx'), w.string('g'), w.int64(1), w.int16(0), w.NULL_ARRAY);
    expect(decodeErrorCode(() => decodeRequestBytes(TxnOffsetCommit, 1, nullTopics))).toBe('BAD_VALUE');
    const v3 = w.concat(
      w.compactString('tx'),
      w.compactString('g'),
      w.int64(1),
      w.int16(0),
      w.int32(-1),
      w.compactString(''),
      w.compactString(null),
      w.compactArray(
        w.concat(
          w.compactString('t'),
          w.compactArray(w.concat(w.int32(0), w.int64(9), w.int32(-1), w.compactString(null), NO_TAGS)),
          NO_TAGS,
        ),
      ),
      NO_TAGS,
    );
    const decoded = decodeRequestBytes(TxnOffsetCommit, 3, v3);
    expect(decoded.groupInstanceId).toBeNull();
    expect(decoded.topics[0]?.partitions[0]?.committedMetadata).toBeNull();
    const nullIds = w.concat(w.COMPACT_NULL_ARRAY, NO_TAGS);
    expect(decodeErrorCode(() => decodeRequestBytes(DescribeTransactions, 0, nullIds))).toBe('BAD_VALUE');
  });

  it('a bool other than 0 or 1 is refused (EndTxn committed, WriteTxnMarkers result, VerifyOnly)', () => {
    const endTxn = w.concat(w.string('tx'), w.int64(1), w.int16(0), w.int8(2));
    expect(decodeErrorCode(() => decodeRequestBytes(EndTxn, 0, endTxn))).toBe('BAD_VALUE');
    const marker = w.array(w.concat(w.int64(1), w.int16(0), w.int8(-1), w.array(), w.int32(0)));
    expect(decodeErrorCode(() => decodeRequestBytes(WriteTxnMarkers, 0, marker))).toBe('BAD_VALUE');
    const verify = w.concat(
      w.compactArray(
        w.concat(w.compactString('tx'), w.int64(1), w.int16(0), w.int8(3), w.compactArray(), NO_TAGS),
      ),
      NO_TAGS,
    );
    expect(decodeErrorCode(() => decodeRequestBytes(AddPartitionsToTxn, 5, verify))).toBe('BAD_VALUE');
  });

  it('a count larger than the bytes left is refused', () => {
    // 1,000 partitions announced, one present.
    const topics = w.concat(w.int32(1), w.string('t'), w.int32(1_000), w.int32(0));
    const request = w.concat(w.string('tx'), w.int64(1), w.int16(0), topics);
    expect(decodeErrorCode(() => decodeRequestBytes(AddPartitionsToTxn, 0, request))).toBe('BAD_LENGTH');
    const states = w.concat(w.int32(0), w.int16(0), w.compactArray(), w.uvarint(5_000), NO_TAGS);
    expect(decodeErrorCode(() => decodeResponseBytes(ListTransactions, 0, states))).toBe('BAD_LENGTH');
  });

  it('tags must ascend; unknown tags are skipped (KIP-482)', () => {
    const body = w.concat(w.compactString('tx'), w.int64(1), w.int16(0), w.bool(true));
    const outOfOrder = w.concat(body, w.tagBuffer([5, Buffer.of(1)], [2, Buffer.of(1)]));
    expect(decodeErrorCode(() => decodeRequestBytes(EndTxn, 3, outOfOrder))).toBe('BAD_TAG');
    const unknown = w.concat(body, w.tagBuffer([7, Buffer.from('future')]));
    expect(decodeRequestBytes(EndTxn, 3, unknown)).toEqual({
      transactionalId: 'tx',
      producerId: 1,
      producerEpoch: 0,
      committed: true,
    });
  });
});
