/**
 * Metadata (key 3), versions 0–12; flexible from v9.
 *
 * Nullability is where the versions differ most: in v0 an empty topic array means "all topics", from
 * v1 a null array means all topics and an empty one none (kcat -L and KafkaJS send null). From v10 a
 * requested topic may be named by id with a null name (Kafka's brokers honour that from v12), and from
 * v12 a response topic's name may be null when it was asked for by id.
 *
 * Field history (Kafka's MetadataRequest/MetadataResponse.json): v1 rack, controller id and
 * is-internal; v2 cluster id; v3 throttle time; v4 AllowAutoTopicCreation; v5 offline replicas; v7
 * leader epoch (KIP-320); v8 authorized operations (KIP-430); v9 flexible versions; v10 topic ids
 * (KIP-516); v11 drops IncludeClusterAuthorizedOperations and ClusterAuthorizedOperations, which
 * DescribeCluster serves instead (KIP-700).
 */
import { defineApi } from '../api.js';
import { field, nullable, struct } from '../schema.js';
import { array, bool, int16, int32, string, uuid } from '../wire-type.js';

/** Kafka's "authorized operations not requested" value of the 32-bit bitfields (KIP-430). */
const AUTHORIZED_OPERATIONS_OMITTED = -2_147_483_648;

const metadataRequestTopic = struct({
  topicId: field(uuid, '10+'),
  name: nullable(string, '0+', '10+'),
});

const metadataResponseBroker = struct({
  nodeId: field(int32, '0+'),
  host: field(string, '0+'),
  port: field(int32, '0+'),
  rack: nullable(string, '1+', '1+'),
});

const metadataResponsePartition = struct({
  errorCode: field(int16, '0+'),
  partitionIndex: field(int32, '0+'),
  leaderId: field(int32, '0+'),
  leaderEpoch: field(int32, '7+', { default: -1 }),
  replicaNodes: field(array(int32), '0+'),
  isrNodes: field(array(int32), '0+'),
  offlineReplicas: field(array(int32), '5+'),
});

const metadataResponseTopic = struct({
  errorCode: field(int16, '0+'),
  name: nullable(string, '0+', '12+'),
  topicId: field(uuid, '10+'),
  isInternal: field(bool, '1+', { default: false }),
  partitions: field(array(metadataResponsePartition), '0+'),
  topicAuthorizedOperations: field(int32, '8+', { default: AUTHORIZED_OPERATIONS_OMITTED }),
});

export const Metadata = defineApi({
  key: 3,
  name: 'Metadata',
  versions: '0-12',
  flexible: '9+',
  request: {
    topics: nullable(array(metadataRequestTopic), '0+', '1+'),
    allowAutoTopicCreation: field(bool, '4+', { default: true }),
    includeClusterAuthorizedOperations: field(bool, '8-10'),
    includeTopicAuthorizedOperations: field(bool, '8+'),
  },
  response: {
    throttleTimeMs: field(int32, '3+'),
    brokers: field(array(metadataResponseBroker), '0+'),
    clusterId: nullable(string, '2+', '2+'),
    controllerId: field(int32, '1+', { default: -1 }),
    topics: field(array(metadataResponseTopic), '0+'),
    clusterAuthorizedOperations: field(int32, '8-10', { default: AUTHORIZED_OPERATIONS_OMITTED }),
  },
});
