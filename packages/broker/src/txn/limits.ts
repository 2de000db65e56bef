/**
 * Named bounds and defaults of the transaction coordinator ("put a limit on everything"). Names follow
 * Kafka's broker configs where one exists; the values are Kafka's defaults unless a comment says why not.
 */
import { WIRE_LIMITS } from '@tributary/core';

export const TRANSACTION_STATE_TOPIC = '__transaction_state';

export const TXN_DEFAULTS = {
  /** transaction.max.timeout.ms: a longer transaction.timeout.ms is refused with INVALID_TRANSACTION_TIMEOUT. */
  transactionMaxTimeoutMs: WIRE_LIMITS.transactionMaxTimeoutMsDefault,
  /**
   * transactional.id.expiration.ms: a transactional id with no transaction for this long is forgotten
   * (a tombstone in the state topic), so its producer id can no longer fence anyone.
   */
  transactionalIdExpirationMs: 604_800_000,
  /**
   * transaction.state.log.num.partitions (Kafka: 50). As for __consumer_offsets, small clusters want
   * fewer: every partition is a coordinator to load on failover.
   */
  stateTopicPartitions: 16,
  /** transaction.state.log.replication.factor; capped by the unfenced brokers at creation. */
  stateTopicReplicationFactor: 3,
  /** transaction.state.log.min.isr. */
  stateTopicMinInsyncReplicas: 2,
  /** transaction.abort.timed.out.transaction.cleanup.interval.ms: how often timeouts are swept. */
  abortTimedOutTransactionCleanupIntervalMs: 10_000,
  /** transaction.remove.expired.transaction.cleanup.interval.ms. */
  removeExpiredTransactionalIdCleanupIntervalMs: 3_600_000,
  /** Deadline of one state-topic write (acks=all) and of one WriteTxnMarkers round. */
  writeTimeoutMs: 10_000,
} as const;

export const TXN_LIMITS = {
  /** Kafka's producer epoch is an int16. */
  producerEpochMax: 0x7fff,
  /**
   * Kafka calls an epoch at or above max - 1 exhausted: the next InitProducerId rotates to a new producer
   * id, leaving one epoch spare so an Ongoing transaction at the last usable epoch can still be fenced.
   */
  producerEpochExhaustedMargin: 1,
  /** transaction.timeout.ms must be positive (Kafka refuses 0 and below). */
  transactionTimeoutMsMin: WIRE_LIMITS.transactionTimeoutMsMin,
  transactionalIdBytesMax: WIRE_LIMITS.transactionalIdBytesMax,
  /** Partitions one transaction may hold; AddPartitionsToTxn beyond it is refused (INVALID_REQUEST). */
  partitionsPerTransactionMax: WIRE_LIMITS.partitionsPerTransactionMax,
  /** Partitions named in one AddPartitionsToTxn (or its verify-only form). */
  partitionsPerRequestMax: WIRE_LIMITS.partitionsPerRequestMax,
  /** Transactional ids one coordinator shard keeps; InitProducerId for a new one is refused beyond it. */
  transactionalIdsPerShardMax: 100_000,
  /**
   * State writes, producer-id allocations and marker rounds in flight in one shard. Each transactional
   * id has at most one, so this bounds the shell's queues; beyond it requests get RESOURCE_EXHAUSTED.
   */
  pendingTransitionsPerShardMax: 10_000,
  /** Timed-out transactions one sweep aborts, and expired ids one sweep removes; the next sweep goes on. */
  transitionsPerSweepMax: 1_000,
  /** Transactional ids named in one DescribeTransactions. */
  transactionalIdsPerDescribeMax: WIRE_LIMITS.transactionalIdsPerDescribeMax,
} as const;

/** The broker-side shell's bounds (txn-shell.ts, txn-state-topic.ts, markers.ts, verification.ts). */
export const TXN_SHELL_LIMITS = {
  /** Backoff between retries of a failed load, a state write to repeat, or markers not yet written. */
  retryBackoffMsMin: 50,
  retryBackoffMsMax: 5_000,
  /** Deadline of one VerifyTxnPartitions call from a partition leader to the coordinator. */
  verifyTimeoutMs: 5_000,
  /** How long FindTransactionCoordinator waits for a created __transaction_state to reach this broker. */
  findCoordinatorWaitMs: 5_000,
  /** transaction.state.log.segment.bytes (Kafka: 100 MiB): small segments let the cleaner compact sooner. */
  stateTopicSegmentBytes: 104_857_600,
} as const;
