/** Every API this codec implements, and the registry the listener dispatches on. */
import type { ApiDefinition } from '../api.js';
import { CreateAcls, DeleteAcls, DescribeAcls } from './acls.js';
import { ApiVersions } from './api-versions.js';
import { AlterClientQuotas, DescribeClientQuotas } from './client-quotas.js';
import { AlterConfigs, DescribeConfigs, IncrementalAlterConfigs } from './configs.js';
import { DeleteRecords } from './delete-records.js';
import { DescribeCluster } from './describe-cluster.js';
import { Fetch } from './fetch.js';
import { FindCoordinator } from './find-coordinator.js';
import { DeleteGroups, DescribeGroups, ListGroups } from './group-admin.js';
import { Heartbeat, JoinGroup, LeaveGroup, SyncGroup } from './group-membership.js';
import { OffsetCommit, OffsetDelete, OffsetFetch } from './group-offsets.js';
import { InitProducerId } from './init-producer-id.js';
import { ListOffsets } from './list-offsets.js';
import { Metadata } from './metadata.js';
import { OffsetForLeaderEpoch } from './offset-for-leader-epoch.js';
import { Produce } from './produce.js';
import { SaslAuthenticate, SaslHandshake } from './sasl.js';
import { AlterUserScramCredentials, DescribeUserScramCredentials } from './scram-credentials.js';
import { CreatePartitions, CreateTopics, DeleteTopics } from './topic-admin.js';
import {
  DescribeProducers,
  DescribeTransactions,
  ListTransactions,
  WriteTxnMarkers,
} from './transaction-admin.js';
import { AddOffsetsToTxn, AddPartitionsToTxn, EndTxn, TxnOffsetCommit } from './transactions.js';

export { CreateAcls, DeleteAcls, DescribeAcls } from './acls.js';
export { ApiVersions } from './api-versions.js';
export { AlterClientQuotas, DescribeClientQuotas } from './client-quotas.js';
export { AlterConfigs, DescribeConfigs, IncrementalAlterConfigs } from './configs.js';
export {
  CONSUMER_PROTOCOL_VERSIONS,
  type ConsumerAssignment,
  ConsumerProtocolAssignment,
  ConsumerProtocolSubscription,
  type ConsumerSubscription,
  decodeConsumerAssignment,
  decodeConsumerSubscription,
  encodeConsumerAssignment,
  encodeConsumerSubscription,
} from './consumer-protocol.js';
export { DeleteRecords } from './delete-records.js';
export { DescribeCluster } from './describe-cluster.js';
export { Fetch } from './fetch.js';
export { FindCoordinator } from './find-coordinator.js';
export { DeleteGroups, DescribeGroups, ListGroups } from './group-admin.js';
export { Heartbeat, JoinGroup, LeaveGroup, SyncGroup } from './group-membership.js';
export { OffsetCommit, OffsetDelete, OffsetFetch } from './group-offsets.js';
export { InitProducerId } from './init-producer-id.js';
export { ListOffsets } from './list-offsets.js';
export { Metadata } from './metadata.js';
export { OffsetForLeaderEpoch } from './offset-for-leader-epoch.js';
export { Produce } from './produce.js';
export { SaslAuthenticate, SaslHandshake } from './sasl.js';
export { AlterUserScramCredentials, DescribeUserScramCredentials } from './scram-credentials.js';
export { CreatePartitions, CreateTopics, DeleteTopics } from './topic-admin.js';
export {
  DescribeProducers,
  DescribeTransactions,
  ListTransactions,
  WriteTxnMarkers,
} from './transaction-admin.js';
export { AddOffsetsToTxn, AddPartitionsToTxn, EndTxn, TxnOffsetCommit } from './transactions.js';

/** The implemented APIs by key. */
export const KAFKA_APIS: ReadonlyMap<number, ApiDefinition> = new Map<number, ApiDefinition>(
  [
    ApiVersions as unknown as ApiDefinition,
    Produce as unknown as ApiDefinition,
    Fetch as unknown as ApiDefinition,
    ListOffsets as unknown as ApiDefinition,
    Metadata as unknown as ApiDefinition,
    DeleteRecords as unknown as ApiDefinition,
    InitProducerId as unknown as ApiDefinition,
    OffsetForLeaderEpoch as unknown as ApiDefinition,
    DescribeCluster as unknown as ApiDefinition,
    OffsetCommit as unknown as ApiDefinition,
    OffsetFetch as unknown as ApiDefinition,
    FindCoordinator as unknown as ApiDefinition,
    JoinGroup as unknown as ApiDefinition,
    Heartbeat as unknown as ApiDefinition,
    LeaveGroup as unknown as ApiDefinition,
    SyncGroup as unknown as ApiDefinition,
    DescribeGroups as unknown as ApiDefinition,
    ListGroups as unknown as ApiDefinition,
    CreateTopics as unknown as ApiDefinition,
    DeleteTopics as unknown as ApiDefinition,
    DescribeConfigs as unknown as ApiDefinition,
    AlterConfigs as unknown as ApiDefinition,
    CreatePartitions as unknown as ApiDefinition,
    DeleteGroups as unknown as ApiDefinition,
    IncrementalAlterConfigs as unknown as ApiDefinition,
    OffsetDelete as unknown as ApiDefinition,
    SaslHandshake as unknown as ApiDefinition,
    SaslAuthenticate as unknown as ApiDefinition,
    DescribeAcls as unknown as ApiDefinition,
    CreateAcls as unknown as ApiDefinition,
    DeleteAcls as unknown as ApiDefinition,
    DescribeClientQuotas as unknown as ApiDefinition,
    AlterClientQuotas as unknown as ApiDefinition,
    DescribeUserScramCredentials as unknown as ApiDefinition,
    AlterUserScramCredentials as unknown as ApiDefinition,
    AddPartitionsToTxn as unknown as ApiDefinition,
    AddOffsetsToTxn as unknown as ApiDefinition,
    EndTxn as unknown as ApiDefinition,
    WriteTxnMarkers as unknown as ApiDefinition,
    TxnOffsetCommit as unknown as ApiDefinition,
    DescribeProducers as unknown as ApiDefinition,
    DescribeTransactions as unknown as ApiDefinition,
    ListTransactions as unknown as ApiDefinition,
  ].map((api) => [api.key, api]),
);
