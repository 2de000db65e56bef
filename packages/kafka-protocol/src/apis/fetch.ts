/**
 * Fetch (key 1), versions 4–17; flexible from v12. v4 is the first version whose clients read
 * RecordBatch v2 (librdkafka's gate), so nothing older is implemented.
 *
 * Field history (Kafka's FetchRequest/FetchResponse.json): v4 isolation level, last stable offset and
 * aborted transactions (KIP-98), v5 log start offset, v7 incremental fetch sessions (KIP-227), v9 the
 * current leader epoch (KIP-320), v11 rack id and preferred read replica (KIP-392), v12 flexible
 * versions with the last fetched epoch and the DivergingEpoch/CurrentLeader/SnapshotId tagged fields
 * (KIP-595) and the request's ClusterId tag, v13 topic ids instead of names (KIP-516; @platformatic/kafka
 * names topics by id even at v12, so it needs these), v14 only a new error (KIP-405), v15 ReplicaState
 * instead of ReplicaId (KIP-903), v16 the response's NodeEndpoints (KIP-951), v17 the partitions'
 * ReplicaDirectoryId (KIP-853).
 */
import { defineApi } from '../api.js';
import { field, nullable, nullableTagged, struct, tagged } from '../schema.js';
import { array, int8, int16, int32, int64, records, string, uuid } from '../wire-type.js';

/** Kafka's default for the request's MaxBytes in versions before v3 (int32 max: no bound). */
const FETCH_MAX_BYTES_DEFAULT = 0x7fff_ffff;

const fetchPartition = struct({
  partition: field(int32, '0+'),
  // -1: "do not check" (KIP-320).
  currentLeaderEpoch: field(int32, '9+', { default: -1 }),
  fetchOffset: field(int64, '0+'),
  lastFetchedEpoch: field(int32, '12+', { default: -1 }),
  logStartOffset: field(int64, '5+', { default: -1 }),
  partitionMaxBytes: field(int32, '0+'),
  // KIP-853: the fetching replica's directory; followers only.
  replicaDirectoryId: tagged(uuid, '17+', 0),
});

const fetchTopic = struct({
  topic: field(string, '0-12'),
  // KIP-516: from v13 topics are named by id.
  topicId: field(uuid, '13+'),
  partitions: field(array(fetchPartition), '0+'),
});

/** KIP-227: partitions an incremental fetch session stops following. */
const forgottenTopic = struct({
  topic: field(string, '7-12'),
  topicId: field(uuid, '13+'),
  partitions: field(array(int32), '7+'),
});

/** KIP-595: the largest epoch and its end offset after which the follower's log diverges. */
const epochEndOffset = struct({
  epoch: field(int32, '12+', { default: -1 }),
  endOffset: field(int64, '12+', { default: -1 }),
});

const leaderIdAndEpoch = struct({
  leaderId: field(int32, '12+', { default: -1 }),
  leaderEpoch: field(int32, '12+', { default: -1 }),
});

/** KIP-595: the snapshot to fetch when the requested offset is below the log start. */
const snapshotId = struct({
  endOffset: field(int64, '0+', { default: -1 }),
  epoch: field(int32, '0+', { default: -1 }),
});

const abortedTransaction = struct({
  producerId: field(int64, '4+'),
  firstOffset: field(int64, '4+'),
});

const partitionData = struct({
  partitionIndex: field(int32, '0+'),
  errorCode: field(int16, '0+'),
  highWatermark: field(int64, '0+'),
  lastStableOffset: field(int64, '4+', { default: -1 }),
  logStartOffset: field(int64, '5+', { default: -1 }),
  divergingEpoch: tagged(epochEndOffset, '12+', 0),
  currentLeader: tagged(leaderIdAndEpoch, '12+', 1),
  snapshotId: tagged(snapshotId, '12+', 2),
  abortedTransactions: nullable(array(abortedTransaction), '4+', '4+'),
  preferredReadReplica: field(int32, '11+', { default: -1 }),
  records: nullable(records, '0+', '0+'),
});

const fetchableTopicResponse = struct({
  topic: field(string, '0-12'),
  topicId: field(uuid, '13+'),
  partitions: field(array(partitionData), '0+'),
});

/** KIP-903: who fetches, moved out of ReplicaId into a tagged field from v15. */
const replicaState = struct({
  replicaId: field(int32, '15+', { default: -1 }),
  replicaEpoch: field(int64, '15+', { default: -1 }),
});

/** KIP-951: endpoints of the leaders named in partitions' CurrentLeader. */
const nodeEndpoint = struct({
  nodeId: field(int32, '16+'),
  host: field(string, '16+'),
  port: field(int32, '16+'),
  rack: nullable(string, '16+', '16+'),
});

export const Fetch = defineApi({
  key: 1,
  name: 'Fetch',
  versions: '4-17',
  flexible: '12+',
  request: {
    clusterId: nullableTagged(string, '12+', 0, { nullable: '12+' }),
    replicaId: field(int32, '0-14', { default: -1 }),
    replicaState: tagged(replicaState, '15+', 1),
    maxWaitMs: field(int32, '0+'),
    minBytes: field(int32, '0+'),
    maxBytes: field(int32, '3+', { default: FETCH_MAX_BYTES_DEFAULT }),
    isolationLevel: field(int8, '4+', { default: 0 }),
    sessionId: field(int32, '7+', { default: 0 }),
    sessionEpoch: field(int32, '7+', { default: -1 }),
    topics: field(array(fetchTopic), '0+'),
    forgottenTopicsData: field(array(forgottenTopic), '7+'),
    rackId: field(string, '11+', { default: '' }),
  },
  response: {
    throttleTimeMs: field(int32, '1+'),
    errorCode: field(int16, '7+'),
    sessionId: field(int32, '7+', { default: 0 }),
    responses: field(array(fetchableTopicResponse), '0+'),
    nodeEndpoints: tagged(array(nodeEndpoint), '16+', 0),
  },
});
