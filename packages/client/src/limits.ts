/**
 * Named bounds for the client ("put a limit on everything"). What the server checks is core's
 * WIRE_LIMITS, used here as it is; a bound of the client's own below it (a default, a tighter cap) is
 * checked against it in wire-limits.test.ts.
 */
import { WIRE_LIMITS } from '@tributary/core';
import { RECORD_LIMITS } from '@tributary/records';

export const CLIENT_LIMITS = {
  /** Produce calls in flight to one broker at once; further calls wait for a slot. */
  inFlightPerBrokerMax: 5,
  /** Records one batch may hold (the producer splits larger sends). */
  batchRecordsMax: 100_000,
  /** Bytes one batch carries: records' RECORD_LIMITS.batchBytesMax, well under a Produce's bound. */
  batchBytesMax: RECORD_LIMITS.batchBytesMax,
  /** The client id every call carries (quotas, group membership): the brokers' bound. */
  clientIdLengthMax: WIRE_LIMITS.clientIdLengthMax,
  /**
   * The acknowledgement wait one Produce asks for: the broker's bound. A producer's timeoutMs may be
   * longer (it used to be sent as it was, and refused): a request now waits at most this long, and the
   * producer retries within its delivery deadline.
   */
  produceTimeoutMsMax: WIRE_LIMITS.produceTimeoutMsMax,
  /** Attempts per call before giving up, even when the deadline has not passed. */
  attemptsMax: 50,
  /** Deadline of one Metadata/ListOffsets call. */
  metadataCallTimeoutMs: 2_000,
  /**
   * How long a request waits on a leader before the client first checks (and then re-checks, each such
   * interval) whether the partition's leadership moved meanwhile (leader-watch.ts): a request outlives it
   * only when its leader is slow or gone. Half a second of the "leadership moved + 1 s" budget for a
   * producer riding through a paused leader (issue 16), the rest for the metadata call and the resend.
   */
  leaderWatchIntervalMs: 500,
  /** How long a broker that failed a call is asked for metadata only after the others. */
  unresponsiveBrokerAskLastMs: 10_000,
  /**
   * Largest long-poll wait a fetch asks for, whatever the caller gives: half the broker's
   * WIRE_LIMITS.fetchMaxWaitMsMax, so a consumer notices a dead broker within 30 s.
   */
  fetchMaxWaitMsMax: 30_000,
} as const;

export const DEFAULT_PRODUCER = {
  acks: -1,
  timeoutMs: 30_000,
  /** Kafka's delivery.timeout.ms default; used when neither deliveryTimeoutMs nor timeoutMs is given. */
  deliveryTimeoutMs: 120_000,
  lingerMs: 0,
  batchMaxRecords: 10_000,
  batchMaxBytes: 1024 * 1024,
  compression: 'none',
} as const;

export const DEFAULT_FETCH = {
  maxWaitMs: 500,
  maxBytes: 4 * 1024 * 1024,
} as const;

export const IDEMPOTENCE_LIMITS = {
  /**
   * Batches per partition that may be unacknowledged at once, counted from the oldest unacknowledged one:
   * the partition leader remembers the last 5 batches per producer to answer resends (Kafka's
   * max.in.flight.requests.per.connection ≤ 5 rule for idempotence).
   */
  unacknowledgedBatchesMax: 5,
} as const;

export const TRANSACTION_LIMITS = {
  /**
   * Attempts of one transaction-coordinator call (FindTransactionCoordinator, InitTransactions,
   * AddPartitionsToTxn, AddOffsetsToTxn, EndTxn, TxnOffsetCommit) before giving up, within its deadline:
   * NOT_COORDINATOR, COORDINATOR_NOT_AVAILABLE, COORDINATOR_LOAD_IN_PROGRESS and CONCURRENT_TRANSACTIONS
   * are retried, the first two after finding the coordinator again.
   */
  coordinatorAttemptsMax: 20,
  /**
   * An attempt needs at least this much of the deadline left (a round trip and the coordinator's state
   * write): one started with a few ms left could only time out, and its DEADLINE_EXCEEDED would replace
   * the coordinator's last answer as the reason the call gave up.
   */
  coordinatorAttemptMinMs: 20,
  /** Kafka's transaction.timeout.ms default. */
  transactionTimeoutMsDefault: 60_000,
  /** transaction.timeout.ms must be positive (Kafka refuses 0 and below). */
  transactionTimeoutMsMin: WIRE_LIMITS.transactionTimeoutMsMin,
  /** The most any coordinator accepts; each enforces its own, smaller, transaction.max.timeout.ms. */
  transactionTimeoutMsMax: WIRE_LIMITS.transactionTimeoutMsMax,
  /**
   * A transactional id's UTF-8 bytes, as the coordinator counts them. It was 32,767 characters here
   * (Kafka's int16 string), so ids the coordinator refuses left the client.
   */
  transactionalIdBytesMax: WIRE_LIMITS.transactionalIdBytesMax,
  /** Distinct partitions one transaction may write (each is a coordinator entry and a marker to write). */
  partitionsPerTransactionMax: WIRE_LIMITS.partitionsPerTransactionMax,
} as const;

/** Bounds of the transaction admin calls (admin-transactions.ts, `trib transactions`). */
export const TRANSACTION_ADMIN_LIMITS = {
  /** Overall deadline of one call, retries included, when the caller gives none. */
  deadlineMsDefault: 10_000,
  /** Deadline of one RPC within a call. */
  callTimeoutMs: 5_000,
  /** Brokers listTransactions asks (and leaders abortTransaction keeps channels to). */
  brokersMax: 256,
  /** Transactions taken from one broker's ListTransactions answer. */
  listedPerBrokerMax: 100_000,
  /** Transactional ids one describeTransactions call may name (below WIRE_LIMITS.transactionalIdsPerDescribeMax). */
  describeIdsMax: 100,
  /** Producer ids one listTransactions filter may name. */
  filterValuesMax: 1_000,
  /** Rounds of asking a partition's leader to write an ABORT marker (the leader may move between them). */
  abortAttemptsMax: 10,
  /** Rounds of asking one broker for its transactions (COORDINATOR_LOAD_IN_PROGRESS while it loads). */
  listAttemptsMax: 10,
} as const;

/** Bounds of Admin.describeProducers (describe-producers.ts, `trib transactions describe-producers`). */
export const DESCRIBE_PRODUCERS_LIMITS = {
  /** Rounds of asking the leaders (the first included); a round follows a metadata refresh. */
  attemptsMax: 5,
  /** Pause between rounds. */
  retryBackoffMs: 100,
  /** Deadline of one Broker.DescribeProducers call within a round. */
  callTimeoutMs: 5_000,
} as const;
