import { WIRE_LIMITS } from './wire-limits.js';

/**
 * Named limits ("put a limit on everything"): every queue, batch and request has a bound. Those a client
 * sees on the wire are defined in WIRE_LIMITS and only named here, for the code that reads them as LIMITS.
 */
export const LIMITS = {
  topicNameLengthMax: WIRE_LIMITS.topicNameLengthMax,
  partitionsPerTopicMax: 100_000,
  replicationFactorMax: 16,
  topicsPerRequestMax: WIRE_LIMITS.topicsPerRequestMax,
  configEntriesPerTopicMax: WIRE_LIMITS.configEntriesPerRequestMax,
  configValueLengthMax: 4_096,
  /** Raft: entries in one append message, and their total bytes. */
  raftEntriesPerMessageMax: 4_096,
  raftBytesPerMessageMax: 4 * 1024 * 1024,
  /**
   * The bytes of entries the controllers' Raft leader puts in one append (one larger entry still goes
   * alone). A follower receives an append as a gRPC request under HTTP/2 flow control, and grpc-js servers
   * keep the 64 KiB default window: a 4 MiB append needed 64 window round trips, so on a loaded machine it
   * outlived the 1 s Step deadline, the follower was reported unreachable and probed, and each heartbeat
   * answer resent the same 4 MiB (measured at 30,000 partitions: 40 MB sent for 2.3 MB of log). 256 KiB is
   * four windows; the leader pipelines appends, so throughput stays.
   */
  raftBytesPerAppendMax: 256 * 1024,
  /** Raft: proposals waiting for the log; beyond this, proposals are refused with RESOURCE_EXHAUSTED. */
  raftPendingProposalsMax: 100_000,
  /** Metadata records one broker-facing fetch returns. */
  metadataRecordsPerFetchMax: 10_000,
  /** gRPC message size; snapshots of large images are chunked below this. */
  grpcMessageBytesMax: WIRE_LIMITS.grpcMessageBytesMax,
  snapshotChunkBytes: 1024 * 1024,
  // Security metadata (DESIGN §10): ACLs, SCRAM users and client quotas are metadata records, so the
  // image holds all of them in memory on every broker and controller; each count and name is bounded.
  /** ACL entries stored in the cluster, and ACLs one CreateAcls request carries. */
  aclEntriesMax: 100_000,
  aclsPerRequestMax: 1_000,
  /** Filters one DeleteAcls request carries: each is matched against every stored ACL. */
  aclFiltersPerRequestMax: 100,
  /** `User:NAME`: long enough for a certificate's distinguished name. */
  aclPrincipalLengthMax: 1_024,
  /** An IP address (IPv6 with a zone fits) or `*`. */
  aclHostLengthMax: 255,
  /** A topic, group or transactional id name, or a prefix of one. */
  aclResourceNameLengthMax: 1_024,
  /** SCRAM users stored, a user name's length, and credential changes per request. */
  scramUsersMax: 10_000,
  scramUserNameLengthMax: 256,
  scramChangesPerRequestMax: 1_000,
  /** SCRAM iterations (Kafka's bounds: the RFC 7677 minimum of 4096, and ScramControlManager's 16384). */
  scramIterationsMin: 4_096,
  scramIterationsMax: 16_384,
  /** A credential's salt: at least 128 bits (NIST SP 800-132), at most what any client sends. */
  scramSaltBytesMin: 16,
  scramSaltBytesMax: 256,
  /** Client quota entities (user and/or client id) stored, an entity name's length, entries per request. */
  quotaEntitiesMax: 10_000,
  quotaEntityNameLengthMax: 256,
  quotaChangesPerRequestMax: 1_000,
} as const;
