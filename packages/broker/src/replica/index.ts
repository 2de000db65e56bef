export {
  DURABILITY_DEFAULT,
  DURABILITY_MODES,
  type Durability,
  flushOnAck,
  logConfigFor,
  minInsyncReplicas,
  REPLICA_DEFAULTS,
  REPLICA_LIMITS,
} from './config.js';
export { activeProducerOf, describeProducers, type ProducerStateHolder } from './describe-producers.js';
export { describeReplicas, type TopicPartition } from './describe-replicas.js';
export {
  createReplicaFetchClient,
  FollowerFetcher,
  type FollowerFetcherOptions,
  REPLICA_FETCH_FLOW_CONTROL_WINDOW_BYTES,
} from './follower-fetcher.js';
export { Partition, type PartitionMetadata, type PartitionRole, type ProduceOutcome } from './partition.js';
export {
  type IsrProposal,
  LeaderPartitionState,
  type LeaderStateInit,
  type ReplicaProgress,
} from './partition-state.js';
export { ReplicaManager, type ReplicaManagerOptions } from './replica-manager.js';
export {
  type FetchThrottle,
  ReplicationThrottle,
  type ReplicationThrottleStats,
  THROTTLE_LIMITS,
} from './replication-throttle.js';
export { TokenBucket, type TokenBucketOptions } from './token-bucket.js';
export {
  UNREACHABLE_BROKERS_DEFAULTS,
  UNREACHABLE_BROKERS_MAX,
  UnreachableBrokers,
  type UnreachableBrokersOptions,
} from './unreachable-brokers.js';
