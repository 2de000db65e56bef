export {
  ADMIN_DEFAULTS,
  Admin,
  type AdminCallOptions,
  type AdminOptions,
  type BrokerDescription,
  type ClusterDescription,
  type NewTopic,
  type PartitionDescription,
  type QuorumDescription,
  type QuorumVoterDescription,
  type TopicDescription,
  type TopicListing,
} from './admin.js';
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
export { CLIENT_LIMITS, DEFAULT_FETCH, DEFAULT_PRODUCER } from './limits.js';
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
  Producer,
  type ProducerOptions,
  type ProducerRecord,
  type RecordMetadata,
  type RecordResult,
} from './producer.js';
