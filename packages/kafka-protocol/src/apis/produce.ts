/**
 * Produce (key 0), versions 0–11; flexible from v9. Record batches travel as opaque `records` bytes
 * (DESIGN §4: the broker validates and stamps the batch, it never re-encodes records).
 *
 * Field history (Kafka's ProduceRequest/ProduceResponse.json): v1 adds the throttle time, v2 the log
 * append time, v3 the transactional id and RecordBatch v2 (KIP-98), v5 the log start offset, v8
 * per-record errors and an error message (KIP-467), v9 flexible versions, v10 the CurrentLeader and
 * NodeEndpoints tagged fields (KIP-951), v11 the TRANSACTION_ABORTABLE error code only (KIP-890).
 * v13 replaces topic names with topic ids (KIP-516) and is out of scope.
 */
import { defineApi } from '../api.js';
import { field, nullable, struct, tagged } from '../schema.js';
import { array, int16, int32, int64, records, string } from '../wire-type.js';

const partitionProduceData = struct({
  index: field(int32, '0+'),
  records: nullable(records, '0+', '0+'),
});

const topicProduceData = struct({
  name: field(string, '0+'),
  partitionData: field(array(partitionProduceData), '0+'),
});

/** KIP-467: which record of the batch made the broker drop it, and why. */
const batchIndexAndErrorMessage = struct({
  batchIndex: field(int32, '8+'),
  batchIndexErrorMessage: nullable(string, '8+', '8+'),
});

/** KIP-951: the leader a NOT_LEADER_OR_FOLLOWER partition really has, so the producer need not ask Metadata. */
const leaderIdAndEpoch = struct({
  leaderId: field(int32, '10+', { default: -1 }),
  leaderEpoch: field(int32, '10+', { default: -1 }),
});

const partitionProduceResponse = struct({
  index: field(int32, '0+'),
  errorCode: field(int16, '0+'),
  baseOffset: field(int64, '0+'),
  logAppendTimeMs: field(int64, '2+', { default: -1 }),
  logStartOffset: field(int64, '5+', { default: -1 }),
  recordErrors: field(array(batchIndexAndErrorMessage), '8+'),
  errorMessage: nullable(string, '8+', '8+'),
  currentLeader: tagged(leaderIdAndEpoch, '10+', 0),
});

const topicProduceResponse = struct({
  name: field(string, '0+'),
  partitionResponses: field(array(partitionProduceResponse), '0+'),
});

/** KIP-951: the endpoints of every leader named in a partition's CurrentLeader. */
const nodeEndpoint = struct({
  nodeId: field(int32, '10+'),
  host: field(string, '10+'),
  port: field(int32, '10+'),
  rack: nullable(string, '10+', '10+'),
});

export const Produce = defineApi({
  key: 0,
  name: 'Produce',
  versions: '0-11',
  flexible: '9+',
  request: {
    // Null when the producer is not transactional; the field exists from v3 (KIP-98).
    transactionalId: nullable(string, '3+', '3+'),
    acks: field(int16, '0+'),
    timeoutMs: field(int32, '0+'),
    topicData: field(array(topicProduceData), '0+'),
  },
  response: {
    responses: field(array(topicProduceResponse), '0+'),
    throttleTimeMs: field(int32, '1+'),
    nodeEndpoints: tagged(array(nodeEndpoint), '10+', 0),
  },
});
