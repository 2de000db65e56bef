/**
 * Every bound a peer can see on the wire, defined once (STYLE: "one definition of every wire-visible
 * bound"). The servers' validation (broker, controller) refuses what exceeds these, and the client checks
 * the same values before sending, so a request the client lets out is one the server accepts. Where the
 * client deliberately asks for less (a default, or a tighter cap of its own), it keeps that value in its
 * own limits and packages/client/src/wire-limits.test.ts checks it against these.
 *
 * Bounds the client never sends (Raft, snapshots, the Kafka codec's frames) stay in LIMITS and the
 * packages' own limits files.
 */
export const WIRE_LIMITS = {
  /** A gRPC message either way; both sides' channel options use it, and snapshots are chunked below it. */
  grpcMessageBytesMax: 64 * 1024 * 1024,
  /**
   * Partitions of failed log directories one BrokerHeartbeat reports (offline_partitions, all topics
   * together). A broker with more reports the rest in later heartbeats, once the controller has moved the
   * first ones (it reports only those it still leads or is in the ISR of).
   */
  offlinePartitionsPerHeartbeatMax: 10_000,
  /** Kafka's topic name rule: at most 249 characters (a partition's directory name must fit 255). */
  topicNameLengthMax: 249,
  /**
   * A consumer group id, in characters. Kafka puts no bound of its own; this is a topic name's, so
   * that an id can name a file or a metric label anywhere a topic can.
   */
  groupIdLengthMax: 249,
  /**
   * A consumer group member's session timeout (GroupHeartbeat): outside this range it is refused, not
   * clamped, so the client learns. Kafka's group.consumer.min/max.session.timeout.ms are 45 s and 60 s;
   * these are wider so tests and slow networks can choose.
   */
  sessionTimeoutMsMin: 1_000,
  sessionTimeoutMsMax: 300_000,
  /** A member's rebalance timeout (Kafka's max.poll.interval.ms is an int32; 30 minutes is plenty). */
  rebalanceTimeoutMsMax: 1_800_000,
  /** A member id: the coordinator's are a client-id prefix and a 36-character UUID; Kafka's fit 255. */
  memberIdLengthMax: 255,
  /**
   * A client id, in characters: the `tributary-client-id` call metadata (what client quotas are resolved
   * for) and the client_id of group heartbeats and JoinGroup. Kafka's header allows 32,767; a broker
   * keeps thousands of them in its quota and group state, so they are kept short.
   */
  clientIdLengthMax: 1_024,
  /**
   * A transactional id, in UTF-8 bytes. Kafka bounds it only by its int16 string length; the bound
   * keeps __transaction_state records and the coordinator's memory small.
   */
  transactionalIdBytesMax: 4_096,
  /** Topics named by one request (Produce, Fetch, ListOffsets, Metadata, DescribeTopics, admin calls). */
  topicsPerRequestMax: 1_000,
  /**
   * Partitions across all topics of one request: Produce, Fetch, a group heartbeat or offset commit,
   * AddPartitionsToTxn, a reassignment.
   */
  partitionsPerRequestMax: 10_000,
  /** Config entries one CreateTopic carries, and entries one AlterTopicConfigs sets (and removes). */
  configEntriesPerRequestMax: 100,
  /**
   * Broker ids one reassignment target lists before the request is refused whole: generous beyond the
   * replication factor bound (a longer list is refused per target) but a bound on decoding work.
   */
  replicasPerTargetMax: 64,
  /** A broker or controller node id: Kafka's node.id is an int32 and never negative. */
  nodeIdMax: 0x7fff_ffff,
  /** Record bytes across all partitions of one Produce: the request-size quota (the gRPC message bound). */
  produceBytesPerRequestMax: 64 * 1024 * 1024,
  /** How long a Produce may wait for acknowledgements (Kafka bounds request.timeout.ms only by int32). */
  produceTimeoutMsMax: 300_000,
  /** How long DeleteRecords may wait for the in-sync replicas: Produce's bound, for the same reason. */
  deleteRecordsTimeoutMsMax: 300_000,
  /** How long a Fetch or ReplicaFetch may long-poll (a broker holds the request and its buffers that long). */
  fetchMaxWaitMsMax: 60_000,
  /** Bytes a Fetch or ReplicaFetch may ask for, in total and per partition: one answer fits a gRPC message. */
  fetchBytesMax: 64 * 1024 * 1024,
  /**
   * Requests a follower may have unanswered on one ReplicaFetchStream: requests and answers alternate (each
   * request acknowledges the previous answer's data), so one; a leader ends a stream that sends more.
   */
  replicaFetchStreamPendingRequestsMax: 1,
  /**
   * Produce requests a client may have unanswered on one ProduceStream (acks=all ones are held until the high
   * watermark passes them); a broker ends a stream that sends more. The client's own bound is smaller.
   */
  produceStreamPendingRequestsMax: 1_024,
  /**
   * Record bytes of the Produce requests in flight on one ProduceStream: past it a request is refused
   * RESOURCE_EXHAUSTED (retriable) and the stream stays open. The broker-wide in-flight bound applies as well.
   */
  produceStreamInFlightBytesMax: 64 * 1024 * 1024,
  /**
   * Fetch requests a client may have unanswered on one FetchStream (each long-polls up to its max wait; a
   * cancelled one counts until its answer is sent); a broker ends a stream that sends more. The client sends
   * a request past it as a unary Fetch.
   */
  fetchStreamPendingRequestsMax: 64,
  /** transaction.timeout.ms must be positive (Kafka refuses 0 and below). */
  transactionTimeoutMsMin: 1,
  /**
   * The longest transaction.timeout.ms any coordinator can be configured to accept (the field and
   * transaction.max.timeout.ms are int32s in Kafka). What a coordinator accepts by default is
   * transactionMaxTimeoutMsDefault.
   */
  transactionTimeoutMsMax: 0x7fff_ffff,
  /** Kafka's transaction.max.timeout.ms default: a longer transaction.timeout.ms is refused. */
  transactionMaxTimeoutMsDefault: 900_000,
  /** Distinct partitions one transaction may write (each is a coordinator entry and a marker to write). */
  partitionsPerTransactionMax: 10_000,
  /** Transactional ids named in one DescribeTransactions. */
  transactionalIdsPerDescribeMax: 1_000,
} as const;
