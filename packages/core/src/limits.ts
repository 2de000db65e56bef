/** Named limits ("put a limit on everything"): every queue, batch and request has a bound. */
export const LIMITS = {
  /** Kafka's limit on topic name length. */
  topicNameLengthMax: 249,
  partitionsPerTopicMax: 100_000,
  replicationFactorMax: 16,
  topicsPerRequestMax: 1_000,
  configEntriesPerTopicMax: 100,
  configValueLengthMax: 4_096,
  /** Raft: entries in one append message, and their total bytes. */
  raftEntriesPerMessageMax: 4_096,
  raftBytesPerMessageMax: 4 * 1024 * 1024,
  /** Raft: proposals waiting for the log; beyond this, proposals are refused with RESOURCE_EXHAUSTED. */
  raftPendingProposalsMax: 100_000,
  /** Metadata records one broker-facing fetch returns. */
  metadataRecordsPerFetchMax: 10_000,
  /** gRPC message size; snapshots of large images are chunked below this. */
  grpcMessageBytesMax: 64 * 1024 * 1024,
  snapshotChunkBytes: 1024 * 1024,
} as const;
