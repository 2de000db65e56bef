/**
 * What every Kafka API needs on the Kafka listener (DESIGN §10), in one table: the operations of the gRPC
 * table (packages/protocol/src/access/grpc-access.ts, GRPC_METHOD_ACCESS) applied to Kafka's own APIs with
 * Kafka's per-API rules (KafkaApis). An API the table does not name cannot be registered (guardKafkaHandlers
 * refuses it): a new API is served only once someone has decided what it needs.
 */
import {
  alterClientQuotasAccess,
  alterConfigsAccess,
  alterUserScramCredentialsAccess,
  createAclsAccess,
  createPartitionsAccess,
  createTopicsAccess,
  deleteAclsAccess,
  deleteTopicsAccess,
  describeAclsAccess,
  describeClientQuotasAccess,
  describeConfigsAccess,
  describeUserScramCredentialsAccess,
  incrementalAlterConfigsAccess,
} from './admin-guards.js';
import {
  deleteRecordsAccess,
  fetchAccess,
  initProducerIdAccess,
  listOffsetsAccess,
  metadataAccess,
  offsetForLeaderEpochAccess,
  produceAccess,
} from './data-guards.js';
import {
  deleteGroupsAccess,
  describeGroupsAccess,
  findCoordinatorAccess,
  heartbeatAccess,
  joinGroupAccess,
  leaveGroupAccess,
  listGroupsAccess,
  offsetCommitAccess,
  offsetDeleteAccess,
  offsetFetchAccess,
  syncGroupAccess,
} from './group-guards.js';
import { AUTHENTICATED, type KafkaApiAccess, PUBLIC } from './kafka-guard.js';
import {
  addOffsetsToTxnAccess,
  addPartitionsToTxnAccess,
  describeProducersAccess,
  describeTransactionsAccess,
  endTxnAccess,
  listTransactionsAccess,
  txnOffsetCommitAccess,
  writeTxnMarkersAccess,
} from './txn-guards.js';

/** Every API a broker's Kafka listener serves, by the API's name. */
export const KAFKA_API_ACCESS: Readonly<Record<string, KafkaApiAccess>> = {
  ApiVersions: PUBLIC,
  SaslHandshake: PUBLIC,
  SaslAuthenticate: PUBLIC,

  Produce: produceAccess,
  Fetch: fetchAccess,
  ListOffsets: listOffsetsAccess,
  Metadata: metadataAccess,
  OffsetForLeaderEpoch: offsetForLeaderEpochAccess,
  DeleteRecords: deleteRecordsAccess,
  InitProducerId: initProducerIdAccess,
  DescribeCluster: AUTHENTICATED,

  CreateTopics: createTopicsAccess,
  DeleteTopics: deleteTopicsAccess,
  CreatePartitions: createPartitionsAccess,
  DescribeConfigs: describeConfigsAccess,
  AlterConfigs: alterConfigsAccess,
  IncrementalAlterConfigs: incrementalAlterConfigsAccess,

  FindCoordinator: findCoordinatorAccess,
  JoinGroup: joinGroupAccess,
  SyncGroup: syncGroupAccess,
  Heartbeat: heartbeatAccess,
  LeaveGroup: leaveGroupAccess,
  OffsetCommit: offsetCommitAccess,
  OffsetFetch: offsetFetchAccess,
  OffsetDelete: offsetDeleteAccess,
  ListGroups: listGroupsAccess,
  DescribeGroups: describeGroupsAccess,
  DeleteGroups: deleteGroupsAccess,

  AddPartitionsToTxn: addPartitionsToTxnAccess,
  AddOffsetsToTxn: addOffsetsToTxnAccess,
  EndTxn: endTxnAccess,
  TxnOffsetCommit: txnOffsetCommitAccess,
  WriteTxnMarkers: writeTxnMarkersAccess,
  DescribeProducers: describeProducersAccess,
  DescribeTransactions: describeTransactionsAccess,
  ListTransactions: listTransactionsAccess,

  CreateAcls: createAclsAccess,
  DeleteAcls: deleteAclsAccess,
  DescribeAcls: describeAclsAccess,
  AlterUserScramCredentials: alterUserScramCredentialsAccess,
  DescribeUserScramCredentials: describeUserScramCredentialsAccess,
  AlterClientQuotas: alterClientQuotasAccess,
  DescribeClientQuotas: describeClientQuotasAccess,
};
