/**
 * ListOffsets (key 2), versions 0–7; flexible from v6. Timestamps -1 (latest) and -2 (earliest) are
 * Kafka's sentinels; v7 adds -3 (the record with the largest timestamp, KIP-734) without a new field.
 *
 * Field history (Kafka's ListOffsetsRequest/ListOffsetsResponse.json): v0 asks for up to
 * MaxNumOffsets offsets and answers an array of them (the pre-0.10.1 "old style"); v1 returns one
 * offset with its timestamp (KIP-79); v2 adds the isolation level (KIP-98) and the throttle time; v4 the
 * current leader epoch in the request and the leader epoch in the response (KIP-320); v6 flexible
 * versions.
 */
import { defineApi } from '../api.js';
import { field, struct } from '../schema.js';
import { array, int8, int16, int32, int64, string } from '../wire-type.js';

const listOffsetsPartition = struct({
  partitionIndex: field(int32, '0+'),
  currentLeaderEpoch: field(int32, '4+', { default: -1 }),
  timestamp: field(int64, '0+'),
  maxNumOffsets: field(int32, '0', { default: 1 }),
});

const listOffsetsTopic = struct({
  name: field(string, '0+'),
  partitions: field(array(listOffsetsPartition), '0+'),
});

const listOffsetsPartitionResponse = struct({
  partitionIndex: field(int32, '0+'),
  errorCode: field(int16, '0+'),
  oldStyleOffsets: field(array(int64), '0'),
  timestamp: field(int64, '1+', { default: -1 }),
  offset: field(int64, '1+', { default: -1 }),
  leaderEpoch: field(int32, '4+', { default: -1 }),
});

const listOffsetsTopicResponse = struct({
  name: field(string, '0+'),
  partitions: field(array(listOffsetsPartitionResponse), '0+'),
});

export const ListOffsets = defineApi({
  key: 2,
  name: 'ListOffsets',
  versions: '0-7',
  flexible: '6+',
  request: {
    replicaId: field(int32, '0+'),
    isolationLevel: field(int8, '2+'),
    topics: field(array(listOffsetsTopic), '0+'),
  },
  response: {
    throttleTimeMs: field(int32, '2+'),
    topics: field(array(listOffsetsTopicResponse), '0+'),
  },
});
