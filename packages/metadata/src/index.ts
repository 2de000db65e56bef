export { decodeRecord, encodeRecord, METADATA_RECORD_VERSION } from './codec.js';
export { type MetadataChanges, MetadataDelta, replayAll } from './delta.js';
export {
  BROKER_DECOMMISSIONED_CONFIG,
  type BrokerRegistration,
  configResourceKey,
  isReassigning,
  MetadataImage,
  type MetadataImageParts,
  type PartitionState,
  type ProducerIdsState,
  parseConfigResourceKey,
  REPLICATION_THROTTLE_CONFIG,
  type TopicImage,
  targetReplicas,
} from './image.js';
export {
  type BrokerLoad,
  type PlaceLeastLoadedOptions,
  type PlacementBroker,
  type PlaceReplicasOptions,
  placeReplicas,
  placeReplicasLeastLoaded,
} from './placement.js';
export {
  planRebalance,
  type RebalanceBroker,
  type RebalanceInput,
  type RebalancePartition,
  type RebalanceTarget,
} from './rebalance.js';
export { type BrokerBalance, type RebalanceSummary, summarizeRebalance } from './rebalance-summary.js';
export * from './records.js';
export { SCRAM_KEY_BYTES, type SecurityImages } from './security-delta.js';
export {
  AclsImage,
  type ClientQuotaEntry,
  ClientQuotasImage,
  quotaEntityKey,
  ScramImage,
  type UserScramCredentials,
} from './security-image.js';
export {
  crc32,
  decodeSnapshot,
  decodeSnapshotRecords,
  encodeSnapshot,
  imageRecords,
  imageToRecords,
  readSnapshotHeader,
  SNAPSHOT_MAGIC,
  SNAPSHOT_VERSION,
  SnapshotEncoder,
  type SnapshotHeader,
} from './snapshot.js';
export {
  TOPIC_CONFIG_CHECKS,
  TOPIC_CONFIGS,
  type TopicConfigCheck,
  type TopicConfigDefault,
  type TopicConfigDefinition,
  type TopicConfigType,
  topicConfigDefault,
  topicConfigDefinition,
  validateTopicConfigs,
} from './topic-configs.js';
