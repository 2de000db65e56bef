/**
 * OffsetForLeaderEpoch (key 23), versions 0–4; flexible from v4. A follower (or a consumer after a
 * leader change, KIP-320) asks for the end offset of a leader epoch to find where its log diverges.
 *
 * Field history (Kafka's OffsetForLeaderEpochRequest/Response.json): v1 returns the leader epoch
 * (KIP-279); v2 adds the current leader epoch for fencing and the throttle time (KIP-320); v3 the
 * replica id (KIP-392), whose default -2 marks a "debug" requester allowed past the high watermark;
 * v4 flexible versions.
 */
import { defineApi } from '../api.js';
import { field, struct } from '../schema.js';
import { array, int16, int32, int64, string } from '../wire-type.js';

/** Kafka's ReplicaId for requesters older than v3: the "debug" consumer. */
const DEBUG_REPLICA_ID = -2;

const offsetForLeaderPartition = struct({
  partition: field(int32, '0+'),
  currentLeaderEpoch: field(int32, '2+', { default: -1 }),
  leaderEpoch: field(int32, '0+'),
});

const offsetForLeaderTopic = struct({
  topic: field(string, '0+'),
  partitions: field(array(offsetForLeaderPartition), '0+'),
});

const epochEndOffset = struct({
  errorCode: field(int16, '0+'),
  partition: field(int32, '0+'),
  leaderEpoch: field(int32, '1+', { default: -1 }),
  endOffset: field(int64, '0+', { default: -1 }),
});

const offsetForLeaderTopicResult = struct({
  topic: field(string, '0+'),
  partitions: field(array(epochEndOffset), '0+'),
});

export const OffsetForLeaderEpoch = defineApi({
  key: 23,
  name: 'OffsetForLeaderEpoch',
  versions: '0-4',
  flexible: '4+',
  request: {
    replicaId: field(int32, '3+', { default: DEBUG_REPLICA_ID }),
    topics: field(array(offsetForLeaderTopic), '0+'),
  },
  response: {
    throttleTimeMs: field(int32, '2+'),
    topics: field(array(offsetForLeaderTopicResult), '0+'),
  },
});
