/** Named bounds and defaults of the group coordinator ("put a limit on everything"). */

export const OFFSETS_TOPIC = '__consumer_offsets';

export const GROUP_DEFAULTS = {
  /** As Kafka's group.consumer.session.timeout.ms. */
  sessionTimeoutMs: 45_000,
  /** As Kafka's group.consumer.heartbeat.interval.ms; never more than a third of the session timeout. */
  heartbeatIntervalMs: 3_000,
  /**
   * The interval given to a member that is not yet at the target assignment (it has partitions to revoke,
   * or is waiting for partitions another member is giving up): a rebalance then completes in a few of these
   * rather than a few full intervals. Only reconciling members heartbeat this often, and only briefly.
   */
  reconcilingHeartbeatIntervalMs: 200,
  /** How long a member may take to revoke partitions when it sends 0 (Kafka: max.poll.interval.ms). */
  rebalanceTimeoutMs: 300_000,
  assignor: 'cooperative-sticky',
  /** --offsets-topic-partitions (Kafka's offsets.topic.num.partitions is 50; small clusters want fewer). */
  offsetsTopicPartitions: 16,
  /** --offsets-topic-replication-factor; capped by the number of unfenced brokers at creation. */
  offsetsTopicReplicationFactor: 3,
  /** --offsets-retention-ms: offsets of an empty group older than this are deleted (7 days, as Kafka). */
  offsetsRetentionMs: 7 * 24 * 60 * 60 * 1000,
  /** How often the coordinator's one timer sweeps session and rebalance timeouts. */
  sweepIntervalMs: 500,
  /** How often offset retention runs. */
  retentionCheckIntervalMs: 60_000,
  /** Deadline of one offsets write (acks=all) and of the topic creation wait. */
  writeTimeoutMs: 10_000,
  findCoordinatorWaitMs: 5_000,
} as const;

export const GROUP_LIMITS = {
  /** Session timeouts outside this range are refused (INVALID_REQUEST), not clamped: the client learns. */
  sessionTimeoutMsMin: 1_000,
  sessionTimeoutMsMax: 300_000,
  rebalanceTimeoutMsMax: 1_800_000,
  /** Kafka's group.consumer.max.size is unbounded by default; a bound keeps assignments affordable. */
  membersPerGroupMax: 1_000,
  /** Groups (with members or offsets) one coordinator shard keeps; beyond it new groups are refused. */
  groupsPerShardMax: 10_000,
  groupIdLengthMax: 249,
  memberIdLengthMax: 255,
  clientIdLengthMax: 255,
  subscribedTopicsMax: 1_000,
  /** Topic-partitions named in one heartbeat, commit, fetch or delete. */
  partitionsPerRequestMax: 10_000,
  metadataBytesMax: 4_096,
  /** Bytes read per step while loading a shard. */
  loadReadBytes: 1024 * 1024,
  /** Tombstones per retention write. */
  recordsPerWriteMax: 1_000,
} as const;
