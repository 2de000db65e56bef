// Errors every call may throw, with their stable codes: applications check `error.code` (e.g. TOPIC_ALREADY_EXISTS).
export { type ErrorCode, TributaryError } from '@tributary/core';
export {
  ADMIN_DEFAULTS,
  Admin,
  type AdminCallOptions,
  type AdminOptions,
  type AlterReassignmentsOptions,
  type BrokerDescription,
  type ClusterDescription,
  type DecommissionOptions,
  type NewTopic,
  type PartitionDescription,
  type QuorumDescription,
  type QuorumVoterDescription,
  type TopicDescription,
  type TopicListing,
} from './admin.js';
export {
  ADMIN_ROUTE_LIMITS,
  type AdminConnectionOptions,
  type AdminRoute,
  adminRouteOf,
  openAdminConnection,
  type RoutedAdminConnection,
} from './admin-route.js';
export {
  type AclBindingFilterSpec,
  type AclCreationOutcome,
  type AclDeletionOutcome,
  ADMIN_SECURITY_LIMITS,
  type ClientQuotaAlteration,
  type ClientQuotaAlterationOutcome,
  type ClientQuotaDescription,
  type ClientQuotaFilterComponent,
  isQuotaKey,
  isScramMechanism,
  type NewAclBinding,
  type QuotaChange,
  type QuotaEntityType,
  SCRAM_CLIENT_DEFAULTS,
  type ScramCredentialDescription,
  type ScramCredentialRef,
  type ScramCredentialSpec,
  type ScramUserDescription,
  type ScramUserOutcome,
} from './admin-security.js';
export {
  type AbortTransactionSpec,
  isTransactionStateName,
  type ListTransactionsOptions,
  TRANSACTION_STATES,
  TransactionAdmin,
  type TransactionAdminDeps,
  type TransactionCallOptions,
  type TransactionDescription,
  type TransactionListing,
  type TransactionStateName,
} from './admin-transactions.js';
export { TributaryClient, type TributaryClientOptions } from './client.js';
export { BrokerConnections, Slots } from './connections.js';
export {
  type ConsumeOptions,
  Consumer,
  type FetchOptions,
  type OffsetSpec,
  type PartitionFetch,
} from './consumer.js';
export { type ConsumedRecord, type DecodedFetch, decodeFetched } from './decode.js';
export {
  DELETE_RECORDS_CLIENT_LIMITS,
  DELETE_TO_HIGH_WATERMARK,
  type DeletedRecords,
  type RecordsToDelete,
} from './delete-records.js';
export type {
  ActiveProducerDescription,
  PartitionProducersDescription,
} from './describe-producers.js';
export type { TopicPartitionOffset } from './group/commit-manager.js';
export { ASSIGNORS, type Assignor, GROUP_DEFAULTS, GROUP_LIMITS } from './group/config.js';
export { CoordinatorConnections } from './group/coordinator.js';
export {
  GroupAdmin,
  type GroupAdminDeps,
  type GroupCallOptions,
  type GroupDescription,
  type GroupListing,
  type GroupMemberDescription,
  type GroupPartitionLag,
  type OffsetResetTarget,
} from './group/group-admin.js';
export { GroupConsumer, type GroupConsumerDeps } from './group/group-consumer.js';
export type { PauseSpec } from './group/owned-partitions.js';
export type { TopicPartition, TopicPartitionList } from './group/reconcile.js';
export type {
  EachBatchPayload,
  EachMessagePayload,
  GroupConsumerOptions,
  GroupMemberIdentity,
  GroupMessage,
  PartitionBatch,
  RebalanceListener,
  RunHandlers,
  Subscription,
} from './group/types.js';
export {
  CLIENT_LIMITS,
  DEFAULT_FETCH,
  DEFAULT_PRODUCER,
  DESCRIBE_PRODUCERS_LIMITS,
  IDEMPOTENCE_LIMITS,
  TRANSACTION_LIMITS,
} from './limits.js';
export {
  type ClusterView,
  MetadataCache,
  type PartitionLeader,
  type TopicMetadata,
  viewFromMetadata,
} from './metadata-cache.js';
export {
  assignPartitions,
  type CustomPartitioner,
  chunkBySize,
  groupByPartition,
} from './partitioning.js';
export {
  type Acks,
  acksNumber,
  type BatchResult,
  type ProduceRequest,
  Producer,
  type ProducerOptions,
  type ProducerRecord,
  type RecordMetadata,
  type RecordResult,
} from './producer.js';
export {
  type AddingReplicaProgress,
  averageBytesPerOffset,
  estimateRate,
  type PartitionReassignmentProgress,
  PROGRESS_WINDOW_SAMPLES,
  type ProgressSample,
  ProgressTracker,
  type ProgressWithRate,
  type RateEstimate,
  reassignmentProgress,
} from './reassignment-progress.js';
export {
  type ElectionOutcome,
  type OngoingReassignmentDescription,
  type PartitionError,
  type PartitionReplicasDescription,
  REASSIGNMENT_LIMITS,
  type ReassigningPartitionDescription,
  type ReassignmentListing,
  type ReassignmentOutcome,
  type ReassignmentTargetSpec,
  type ReplicaProgressDescription,
  type TopicPartitionRef,
} from './reassignments.js';
export type { SendOffsetsRequest, Transaction, TransactionGroupMember } from './transaction.js';
export { TransactionConnections } from './transaction-coordinator.js';
export {
  isFatalTransactionError,
  type TransactionErrorAction,
  type TransactionState,
  transactionErrorAction,
} from './transaction-state.js';
