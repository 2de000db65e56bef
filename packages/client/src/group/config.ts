/** Defaults and bounds of the group consumer and group admin ("put a limit on everything"). */
import { WIRE_LIMITS } from '@tributary/core';

export const GROUP_DEFAULTS = {
  /** A member not heard from for this long is removed by the coordinator (Kafka's default). */
  sessionTimeoutMs: 45_000,
  /** How long a member may take to give up revoked partitions (and how long close() waits for a handler). */
  rebalanceTimeoutMs: 60_000,
  assignor: 'cooperative-sticky',
  autoCommit: true,
  autoCommitIntervalMs: 5_000,
  fromBeginning: false,
  /** Used until the coordinator names its own interval in the first heartbeat answer. */
  heartbeatIntervalMs: 3_000,
  /** How often a RegExp subscription is matched against the cluster's topics again. */
  metadataMaxAgeMs: 30_000,
} as const;

export const GROUP_LIMITS = {
  /** Deadline of one coordinator call (FindCoordinator, GroupHeartbeat, OffsetCommit, ...). */
  coordinatorCallTimeoutMs: 5_000,
  /**
   * How long a coordinator call waits before another broker is asked whether the group's coordinator moved,
   * and between such asks (coordinator.ts watch): a call outlives it only when the coordinator is slow or gone.
   */
  coordinatorWatchIntervalMs: 500,
  /** Attempts of one commit before it fails (STALE_MEMBER_EPOCH and coordinator moves included). */
  commitAttemptsMax: 10,
  /**
   * OffsetFetch attempts while a read_committed member's partitions answer UNSTABLE_OFFSET_COMMIT (KIP-447:
   * another member's transaction holds an offset commit): at the backoff's 1 s cap, about two minutes,
   * past the default transaction timeout (60 s) after which the coordinator aborts a hanging transaction.
   */
  unstableOffsetFetchAttemptsMax: 130,
  /** Attempts of one admin call against the coordinator before it fails. */
  adminAttemptsMax: 10,
  /** The longest pause between heartbeats, whatever the coordinator asks for. */
  heartbeatIntervalMsMax: 30_000,
  /** The shortest pause between heartbeats, so a misconfigured coordinator cannot make us spin. */
  heartbeatIntervalMsMin: 10,
  /** How long close() waits for its final commit and leave heartbeat together. */
  closeTimeoutMs: 10_000,
  /** Wait between fetch rounds while nothing is fetchable (no assignment, all paused). */
  idleWaitMs: 100,
  /** Brokers listGroups asks at once. */
  brokersMax: 256,
  /** Group id length: the coordinator's bound (Kafka's 249, as topic names). */
  groupIdLengthMax: WIRE_LIMITS.groupIdLengthMax,
} as const;

export type Assignor = 'cooperative-sticky' | 'range' | 'round-robin';

export const ASSIGNORS: readonly Assignor[] = ['cooperative-sticky', 'range', 'round-robin'];
