/**
 * Wire checks of OffsetCommit, OffsetFetch and OffsetDelete, spelled out from the protocol guide's
 * BNF at classic and flexible versions, including the versions where a field appears or moves
 * (OffsetCommit v1's per-partition timestamp and v2's retention time, OffsetFetch v8's groups).
 */
import { describe, expect, it } from 'vitest';
import { decodeRequestBytes } from '../api.js';
import { decodeErrorCode } from '../testing/decode-error.js';
import * as w from '../testing/wire-bytes.js';
import { expectRequestWire, expectResponseWire } from '../testing/wire-check.js';
import { OffsetCommit, OffsetDelete, OffsetFetch } from './group-offsets.js';

const { NO_TAGS } = w;

/** An OffsetCommit partition with the defaults of the fields a version lacks. */
function committed(partitionIndex: number, committedOffset: number, extra: object = {}) {
  return {
    partitionIndex,
    committedOffset,
    committedLeaderEpoch: -1,
    commitTimestamp: -1,
    committedMetadata: null,
    ...extra,
  };
}

describe('OffsetCommit', () => {
  it('v0: GroupId [Topics [Partitions: index offset metadata]]', () => {
    expectRequestWire(
      OffsetCommit,
      0,
      {
        groupId: 'g',
        generationIdOrMemberEpoch: -1,
        memberId: '',
        groupInstanceId: null,
        retentionTimeMs: -1,
        topics: [{ name: 't', partitions: [committed(0, 42)] }],
      },
      w.concat(
        w.string('g'),
        w.array(w.concat(w.string('t'), w.array(w.concat(w.int32(0), w.int64(42), w.string(null))))),
      ),
    );
    expectResponseWire(
      OffsetCommit,
      0,
      { throttleTimeMs: 0, topics: [{ name: 't', partitions: [{ partitionIndex: 0, errorCode: 0 }] }] },
      w.array(w.concat(w.string('t'), w.array(w.concat(w.int32(0), w.int16(0))))),
    );
  });

  it('v1: membership, and a commit timestamp between offset and metadata', () => {
    expectRequestWire(
      OffsetCommit,
      1,
      {
        groupId: 'g',
        generationIdOrMemberEpoch: 3,
        memberId: 'm',
        groupInstanceId: null,
        retentionTimeMs: -1,
        topics: [
          {
            name: 't',
            partitions: [committed(0, 42, { commitTimestamp: 1_700_000_000_000, committedMetadata: 'x' })],
          },
        ],
      },
      w.concat(
        w.string('g'),
        w.int32(3),
        w.string('m'),
        w.array(
          w.concat(
            w.string('t'),
            w.array(w.concat(w.int32(0), w.int64(42), w.int64(1_700_000_000_000), w.string('x'))),
          ),
        ),
      ),
    );
  });

  it('v2: RetentionTimeMs after MemberId, no timestamp', () => {
    expectRequestWire(
      OffsetCommit,
      2,
      {
        groupId: 'g',
        generationIdOrMemberEpoch: 3,
        memberId: 'm',
        groupInstanceId: null,
        retentionTimeMs: 86_400_000,
        topics: [{ name: 't', partitions: [committed(1, 7)] }],
      },
      w.concat(
        w.string('g'),
        w.int32(3),
        w.string('m'),
        w.int64(86_400_000),
        w.array(w.concat(w.string('t'), w.array(w.concat(w.int32(1), w.int64(7), w.string(null))))),
      ),
    );
  });

  it('v8 (flexible): instance id and leader epoch', () => {
    expectRequestWire(
      OffsetCommit,
      8,
      {
        groupId: 'g',
        generationIdOrMemberEpoch: 3,
        memberId: 'm',
        groupInstanceId: 'i',
        retentionTimeMs: -1,
        topics: [
          { name: 't', partitions: [committed(1, 42, { committedLeaderEpoch: 7, committedMetadata: '' })] },
        ],
      },
      w.concat(
        w.compactString('g'),
        w.int32(3),
        w.compactString('m'),
        w.compactString('i'),
        w.compactArray(
          w.concat(
            w.compactString('t'),
            w.compactArray(w.concat(w.int32(1), w.int64(42), w.int32(7), w.compactString(''), NO_TAGS)),
            NO_TAGS,
          ),
        ),
        NO_TAGS,
      ),
    );
    expectResponseWire(
      OffsetCommit,
      8,
      { throttleTimeMs: 5, topics: [{ name: 't', partitions: [{ partitionIndex: 1, errorCode: 22 }] }] },
      w.concat(
        w.int32(5),
        w.compactArray(
          w.concat(w.compactString('t'), w.compactArray(w.concat(w.int32(1), w.int16(22), NO_TAGS)), NO_TAGS),
        ),
        NO_TAGS,
      ),
    );
  });
});

describe('OffsetFetch', () => {
  const partition = {
    partitionIndex: 0,
    committedOffset: 42,
    committedLeaderEpoch: -1,
    metadata: '',
    errorCode: 0,
  };

  it('v0: GroupId [Topics]; [Topics] without a top-level error', () => {
    expectRequestWire(
      OffsetFetch,
      0,
      { groupId: 'g', topics: [{ name: 't', partitionIndexes: [0, 1] }], groups: [], requireStable: false },
      w.concat(w.string('g'), w.array(w.concat(w.string('t'), w.array(w.int32(0), w.int32(1))))),
    );
    expectResponseWire(
      OffsetFetch,
      0,
      { throttleTimeMs: 0, topics: [{ name: 't', partitions: [partition] }], errorCode: 0, groups: [] },
      w.array(w.concat(w.string('t'), w.array(w.concat(w.int32(0), w.int64(42), w.string(''), w.int16(0))))),
    );
  });

  it('v2: a null topic list asks for every committed offset; v0 and v1 refuse it', () => {
    const allTopics = w.concat(w.string('g'), w.NULL_ARRAY);
    expectRequestWire(
      OffsetFetch,
      2,
      { groupId: 'g', topics: null, groups: [], requireStable: false },
      allTopics,
    );
    expect(decodeErrorCode(() => decodeRequestBytes(OffsetFetch, 1, allTopics))).toBe('BAD_VALUE');
  });

  it('v6 (flexible): the top-level error code follows the topics', () => {
    expectResponseWire(
      OffsetFetch,
      6,
      {
        throttleTimeMs: 0,
        topics: [{ name: 't', partitions: [{ ...partition, committedLeaderEpoch: 4, metadata: null }] }],
        errorCode: 16,
        groups: [],
      },
      w.concat(
        w.int32(0),
        w.compactArray(
          w.concat(
            w.compactString('t'),
            w.compactArray(
              w.concat(w.int32(0), w.int64(42), w.int32(4), w.compactString(null), w.int16(0), NO_TAGS),
            ),
            NO_TAGS,
          ),
        ),
        w.int16(16),
        NO_TAGS,
      ),
    );
  });

  it('v8 (flexible, KIP-709): [Groups] RequireStable; per-group topics and error', () => {
    expectRequestWire(
      OffsetFetch,
      8,
      {
        groupId: '',
        topics: null,
        groups: [
          { groupId: 'g', topics: null },
          { groupId: 'h', topics: [{ name: 't', partitionIndexes: [0] }] },
        ],
        requireStable: true,
      },
      w.concat(
        w.compactArray(
          w.concat(w.compactString('g'), w.COMPACT_NULL_ARRAY, NO_TAGS),
          w.concat(
            w.compactString('h'),
            w.compactArray(w.concat(w.compactString('t'), w.compactArray(w.int32(0)), NO_TAGS)),
            NO_TAGS,
          ),
        ),
        w.bool(true),
        NO_TAGS,
      ),
    );
    expectResponseWire(
      OffsetFetch,
      8,
      {
        throttleTimeMs: 0,
        topics: [],
        errorCode: 0,
        groups: [
          {
            groupId: 'g',
            topics: [{ name: 't', partitions: [{ ...partition, committedLeaderEpoch: 3, metadata: null }] }],
            errorCode: 0,
          },
        ],
      },
      w.concat(
        w.int32(0),
        w.compactArray(
          w.concat(
            w.compactString('g'),
            w.compactArray(
              w.concat(
                w.compactString('t'),
                w.compactArray(
                  w.concat(w.int32(0), w.int64(42), w.int32(3), w.compactString(null), w.int16(0), NO_TAGS),
                ),
                NO_TAGS,
              ),
            ),
            w.int16(0),
            NO_TAGS,
          ),
        ),
        NO_TAGS,
      ),
    );
  });
});

describe('OffsetDelete', () => {
  it('v0 (never flexible): GroupId [Topics]; ErrorCode ThrottleTimeMs [Topics]', () => {
    expectRequestWire(
      OffsetDelete,
      0,
      { groupId: 'g', topics: [{ name: 't', partitions: [{ partitionIndex: 0 }, { partitionIndex: 2 }] }] },
      w.concat(w.string('g'), w.array(w.concat(w.string('t'), w.array(w.int32(0), w.int32(2))))),
    );
    expectResponseWire(
      OffsetDelete,
      0,
      {
        errorCode: 0,
        throttleTimeMs: 0,
        topics: [{ name: 't', partitions: [{ partitionIndex: 0, errorCode: 86 }] }],
      },
      w.concat(
        w.int16(0),
        w.int32(0),
        w.array(w.concat(w.string('t'), w.array(w.concat(w.int32(0), w.int16(86))))),
      ),
    );
  });
});
