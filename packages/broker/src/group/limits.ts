/** Named bounds and defaults of the group coordinator ("put a limit on everything"). */
import { WIRE_LIMITS } from '@tributary/core';

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
  /**
   * segment.bytes of __consumer_offsets when it is created (Kafka's offsets.topic.segment.bytes, 100 MiB):
   * the cleaner never touches the active segment, so a smaller one than a topic's 1 GiB default lets
   * superseded commits go sooner.
   */
  offsetsTopicSegmentBytes: 100 * 1024 * 1024,
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
  sessionTimeoutMsMin: WIRE_LIMITS.sessionTimeoutMsMin,
  sessionTimeoutMsMax: WIRE_LIMITS.sessionTimeoutMsMax,
  rebalanceTimeoutMsMax: WIRE_LIMITS.rebalanceTimeoutMsMax,
  /** Kafka's group.consumer.max.size is unbounded by default; a bound keeps assignments affordable. */
  membersPerGroupMax: 1_000,
  /** Groups (with members or offsets) one coordinator shard keeps; beyond it new groups are refused. */
  groupsPerShardMax: 10_000,
  groupIdLengthMax: WIRE_LIMITS.groupIdLengthMax,
  memberIdLengthMax: WIRE_LIMITS.memberIdLengthMax,
  /**
   * The same client id a member's Produce and Fetch carry, so one bound: it was 255 here and 1,024 on
   * the data plane, which let a client produce under an id it could not join a group with.
   */
  clientIdLengthMax: WIRE_LIMITS.clientIdLengthMax,
  subscribedTopicsMax: 1_000,
  /** Topic-partitions named in one heartbeat, commit, fetch or delete. */
  partitionsPerRequestMax: WIRE_LIMITS.partitionsPerRequestMax,
  metadataBytesMax: 4_096,
  /** Bytes read per step while loading a shard. */
  loadReadBytes: 1024 * 1024,
  /** Tombstones per retention write. */
  recordsPerWriteMax: 1_000,
  /**
   * Producers whose transactional offset commits await their marker, per coordinator shard. The
   * transaction coordinator ends every transaction (commit, abort or timeout), so pending sets drain; the
   * bound keeps a burst of open transactions from growing a shard without limit.
   */
  pendingTxnProducersPerShardMax: 10_000,
} as const;

/**
 * The classic group protocol (JoinGroup/SyncGroup/Heartbeat/LeaveGroup) as Kafka's brokers run it; names
 * follow Kafka's broker configs. Every value here can be overridden per coordinator (ClassicGroupConfig).
 */
export const CLASSIC_GROUP_DEFAULTS = {
  /** group.min.session.timeout.ms: shorter session timeouts are refused with INVALID_SESSION_TIMEOUT. */
  minSessionTimeoutMs: 6_000,
  /** group.max.session.timeout.ms. */
  maxSessionTimeoutMs: 1_800_000,
  /**
   * group.initial.rebalance.delay.ms: an Empty group waits this long (again for each member that joins
   * meanwhile, up to the rebalance timeout) before completing its first rebalance, so a group whose
   * consumers start together rebalances once rather than once per consumer.
   */
  initialRebalanceDelayMs: 3_000,
  /** group.max.size (Kafka: unbounded); never above CLASSIC_GROUP_LIMITS.membersPerGroupMax. */
  maxSize: 1_000,
  /**
   * Kafka's NewMemberJoinTimeoutMs: a member still waiting for its first JoinGroup answer is removed after
   * this long, so a client that vanished mid-join cannot hold a rebalance for its whole rebalance timeout.
   */
  newMemberJoinTimeoutMs: 300_000,
} as const;

export const CLASSIC_GROUP_LIMITS = {
  membersPerGroupMax: GROUP_LIMITS.membersPerGroupMax,
  /** Member ids handed out with MEMBER_ID_REQUIRED (KIP-394) and not yet used, per group. */
  pendingMembersPerGroupMax: 1_000,
  protocolsPerMemberMax: 16,
  protocolNameLengthMax: 255,
  protocolTypeLengthMax: 255,
  /** Kafka's rule for group.instance.id is a topic name's: at most 249 characters of [a-zA-Z0-9._-]. */
  groupInstanceIdLengthMax: 249,
  clientHostLengthMax: 255,
  /**
   * A member's protocol metadata, all protocols together (a consumer's subscription: topics, owned
   * partitions, user data; 1,000 topics and 10,000 owned partitions take about 100 KiB). With the group
   * size this bounds what one group holds: 1,000 members × 128 KiB.
   */
  memberMetadataBytesMax: 128 * 1024,
  /** One member's assignment from the leader's SyncGroup. */
  assignmentBytesMax: 256 * 1024,
  /** All the assignments of one SyncGroup (what the group holds between rebalances). */
  syncAssignmentsBytesMax: 16 * 1024 * 1024,
  /** Members named in one LeaveGroup (KIP-345 batch removal). */
  leaveMembersPerRequestMax: 1_000,
  /** Groups named in one DescribeGroups or DeleteGroups. */
  groupsPerRequestMax: 1_000,
} as const;
