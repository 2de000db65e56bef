/**
 * Committed offsets of groups: OffsetCommit (8), OffsetFetch (9) and OffsetDelete (47), answered by
 * the group coordinator from the same store the gRPC API uses.
 */
import { defineApi } from '../api.js';
import { field, nullable, struct } from '../schema.js';
import { array, bool, int16, int32, int64, string } from '../wire-type.js';

/**
 * OffsetCommit: v1 adds membership and a per-partition commit timestamp, v2 replaces the timestamp by
 * a retention time, v5 drops the retention time (broker config only), v6 the leader epoch, v7 static
 * membership, v8 flexible.
 */
export const OffsetCommit = defineApi({
  key: 8,
  name: 'OffsetCommit',
  versions: '0-8',
  flexible: '8+',
  request: {
    groupId: field(string, '0+'),
    // Kafka's current name (KIP-848 reuses the field for the member epoch from v9); a generation here.
    generationIdOrMemberEpoch: field(int32, '1+', { default: -1 }),
    memberId: field(string, '1+'),
    groupInstanceId: nullable(string, '7+', '7+'),
    retentionTimeMs: field(int64, '2-4', { default: -1 }),
    topics: field(
      array(
        struct({
          name: field(string, '0+'),
          partitions: field(
            array(
              struct({
                partitionIndex: field(int32, '0+'),
                committedOffset: field(int64, '0+'),
                committedLeaderEpoch: field(int32, '6+', { default: -1 }),
                commitTimestamp: field(int64, '1', { default: -1 }),
                committedMetadata: nullable(string, '0+', '0+'),
              }),
            ),
            '0+',
          ),
        }),
      ),
      '0+',
    ),
  },
  response: {
    throttleTimeMs: field(int32, '3+'),
    topics: field(
      array(
        struct({
          name: field(string, '0+'),
          partitions: field(
            array(
              struct({
                partitionIndex: field(int32, '0+'),
                errorCode: field(int16, '0+'),
              }),
            ),
            '0+',
          ),
        }),
      ),
      '0+',
    ),
  },
});

/** Topics asked for in OffsetFetch: the top-level list in v0–7, each group's list in v8. */
const offsetFetchRequestTopic = struct({
  name: field(string, '0+'),
  partitionIndexes: field(array(int32), '0+'),
});

/** One partition's committed offset; the same layout at the top level (v0–7) and per group (v8). */
const offsetFetchResponsePartition = struct({
  partitionIndex: field(int32, '0+'),
  committedOffset: field(int64, '0+'),
  committedLeaderEpoch: field(int32, '5+', { default: -1 }),
  metadata: nullable(string, '0+', '0+'),
  errorCode: field(int16, '0+'),
});

const offsetFetchResponseTopic = struct({
  name: field(string, '0+'),
  partitions: field(array(offsetFetchResponsePartition), '0+'),
});

/**
 * OffsetFetch: v2 allows a null topic list (every committed offset of the group) and adds a top-level
 * error, v3 throttle time, v5 leader epochs, v6 flexible, v7 RequireStable (KIP-447), v8 batches
 * groups (KIP-709): the top-level GroupId/Topics and ErrorCode move into Groups.
 */
export const OffsetFetch = defineApi({
  key: 9,
  name: 'OffsetFetch',
  versions: '0-8',
  flexible: '6+',
  request: {
    groupId: field(string, '0-7'),
    topics: nullable(array(offsetFetchRequestTopic), '0-7', '2-7'),
    groups: field(
      array(
        struct({
          groupId: field(string, '8+'),
          topics: nullable(array(offsetFetchRequestTopic), '8+', '8+'),
        }),
      ),
      '8+',
    ),
    requireStable: field(bool, '7+', { default: false }),
  },
  response: {
    throttleTimeMs: field(int32, '3+'),
    topics: field(array(offsetFetchResponseTopic), '0-7'),
    errorCode: field(int16, '2-7', { default: 0 }),
    groups: field(
      array(
        struct({
          groupId: field(string, '8+'),
          topics: field(array(offsetFetchResponseTopic), '8+'),
          errorCode: field(int16, '8+', { default: 0 }),
        }),
      ),
      '8+',
    ),
  },
});

/** OffsetDelete (KIP-496): one version, never flexible. */
export const OffsetDelete = defineApi({
  key: 47,
  name: 'OffsetDelete',
  versions: '0',
  flexible: 'none',
  request: {
    groupId: field(string, '0+'),
    topics: field(
      array(
        struct({
          name: field(string, '0+'),
          partitions: field(array(struct({ partitionIndex: field(int32, '0+') })), '0+'),
        }),
      ),
      '0+',
    ),
  },
  response: {
    errorCode: field(int16, '0+'),
    throttleTimeMs: field(int32, '0+'),
    topics: field(
      array(
        struct({
          name: field(string, '0+'),
          partitions: field(
            array(
              struct({
                partitionIndex: field(int32, '0+'),
                errorCode: field(int16, '0+'),
              }),
            ),
            '0+',
          ),
        }),
      ),
      '0+',
    ),
  },
});
