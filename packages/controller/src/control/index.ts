export {
  type AclCreationResult,
  type AclFilterResult,
  type AclIdSource,
  type AclItemError,
  type CreateAclsRequest,
  type CreateAclsResponse,
  createAcls,
  type DeleteAclsRequest,
  type DeleteAclsResponse,
  deleteAcls,
  describeAcls,
  type NewAcl,
} from './acls.js';
export {
  type AlterPartitionItem,
  type AlterPartitionItemError,
  type AlterPartitionItemResult,
  type AlterPartitionRequest,
  type AlterPartitionResponse,
  alterPartition,
} from './alter-partition.js';
export {
  type BrokerHeartbeatRequest,
  type BrokerHeartbeatResponse,
  brokerHeartbeat,
  type FenceBrokerResponse,
  fenceBroker,
  type RegisterBrokerContext,
  type RegisterBrokerRequest,
  registerBroker,
} from './brokers.js';
export {
  type AlterClientQuotasRequest,
  type AlterClientQuotasResponse,
  alterClientQuotas,
  type ClientQuotaFilter,
  describeClientQuotas,
  type QuotaAlteration,
  type QuotaEntityMatch,
  type QuotaEntityType,
  type QuotaEntryResult,
  type QuotaFilterComponent,
  type QuotaItemError,
  type QuotaOp,
  quotaEntityProblem,
} from './client-quotas.js';
export type { ControllerContext, ControlResult } from './context.js';
export {
  DECOMMISSION_PARTITIONS_PER_COMMAND,
  type DecommissionBrokerRequest,
  type DecommissionBrokerResponse,
  type DecommissionMove,
  decommissionBroker,
} from './decommission.js';
export {
  chooseLeader,
  electOnUnfence,
  electPreferredLeader,
  type PreferredElection,
  preferredLeader,
  removeBrokerFromPartitions,
} from './elections.js';
export {
  type BrokerLeaderImbalance,
  balanceLeaders,
  ELECT_LEADERS_PARTITIONS_MAX,
  type ElectionResult,
  type ElectPreferredLeadersRequest,
  type ElectPreferredLeadersResponse,
  electPreferredLeaders,
  type LeaderBalanceOptions,
  type LeaderBalanceResponse,
  PREFERRED_ELECTIONS_PER_COMMAND_MAX,
  type TopicPartitionName,
} from './leader-balance.js';
export {
  BrokerLeases,
  type BrokerLeasesOptions,
  DEFAULT_SESSION_TIMEOUT_MS,
  DEFAULT_SUSPECT_AFTER_MS,
} from './leases.js';
export {
  type AllocateProducerIdsRequest,
  type AllocateProducerIdsResponse,
  allocateProducerIds,
  PRODUCER_ID_BLOCK_SIZE,
  PRODUCER_ID_LIMIT,
} from './producer-ids.js';
export {
  type AlterReassignmentsRequest,
  type AlterReassignmentsResponse,
  alterPartitionReassignments,
  cancelledState,
  completedIfCaughtUp,
  originalReplicas,
  type ReassignmentItemError,
  type ReassignmentItemResult,
  type ReassignmentTarget,
  reassignedState,
} from './reassignment.js';
export {
  type AlterScramCredentialsRequest,
  type AlterScramCredentialsResponse,
  alterUserScramCredentials,
  bootstrapScramUser,
  type DescribedScramUser,
  describeUserScramCredentials,
  type ScramCredentialInfo,
  type ScramDeletion,
  type ScramItemError,
  type ScramUpsertion,
  type ScramUserResult,
} from './scram.js';
export { type ScramKeyDerivation, scramServerKeys } from './scram-keys.js';
export { TOPIC_CONFIG_CHECKS, validateTopicConfigs } from './topic-configs.js';
export {
  type CreatePartitionsRequest,
  type CreatePartitionsResponse,
  type CreateTopicRequest,
  type CreateTopicResponse,
  createPartitions,
  createTopic,
  type DeleteTopicRequest,
  deleteTopic,
} from './topics.js';
