/**
 * The transactional producer's state (Kafka's TransactionManager states, KIP-98), pure: no I/O, no
 * timers. The shell (transaction.ts) asks it what is allowed, tells it what happened, and does the calls.
 *
 *   uninitialized → initializing → ready → inTransaction → committing → ready
 *                                                        ↘ aborting   → ready
 *   inTransaction, committing → abortableError → aborting → ready
 *   any state → fatalError (terminal: PRODUCER_FENCED and friends; the producer is unusable)
 *
 * One transaction at a time: a new one starts only from `ready`. A failed send or offsets call leaves
 * the transaction abortable (only abort() is allowed); a fenced producer can do nothing more.
 */
import { assert, type ErrorCode, needsCoordinatorLookup, TributaryError } from '@tributary/core';
import { TRANSACTION_LIMITS } from './limits.js';

export type TransactionState =
  | 'uninitialized'
  | 'initializing'
  | 'ready'
  | 'inTransaction'
  | 'committing'
  | 'aborting'
  | 'abortableError'
  | 'fatalError';

/** Each state's allowed predecessors (Kafka's State.isTransitionValid); fatalError is reachable from all. */
const ALLOWED_FROM: Readonly<Record<TransactionState, readonly TransactionState[]>> = {
  uninitialized: [],
  // From aborting: an abort after a send failed definitively bumps the epoch (KIP-360), see needsEpochBump.
  initializing: ['uninitialized', 'initializing', 'aborting'],
  ready: ['initializing', 'committing', 'aborting'],
  inTransaction: ['ready'],
  // Re-entered when commit() or abort() is called again after EndTxn ran out of attempts.
  committing: ['inTransaction', 'committing'],
  aborting: ['inTransaction', 'abortableError', 'aborting'],
  abortableError: ['inTransaction', 'committing', 'abortableError'],
  fatalError: [
    'uninitialized',
    'initializing',
    'ready',
    'inTransaction',
    'committing',
    'aborting',
    'abortableError',
    'fatalError',
  ],
};

/** What a failed coordinator call or transactional send means for the producer. */
export type TransactionErrorAction = 'findCoordinator' | 'retry' | 'fatal' | 'abortable';

/**
 * Errors after which the producer can never continue (Kafka: ProducerFencedException,
 * InvalidProducerEpochException on a transactional producer, authorization and mapping errors).
 */
const FATAL_CODES: ReadonlySet<ErrorCode> = new Set<ErrorCode>([
  'PRODUCER_FENCED',
  'INVALID_PRODUCER_EPOCH',
  'INVALID_PRODUCER_ID_MAPPING',
  'INVALID_TRANSACTION_TIMEOUT',
  'INVALID_TXN_STATE',
  'TRANSACTIONAL_ID_AUTHORIZATION_FAILED',
  'CLUSTER_AUTHORIZATION_FAILED',
]);

export function transactionErrorAction(error: TributaryError): TransactionErrorAction {
  if (FATAL_CODES.has(error.code)) return 'fatal';
  if (needsCoordinatorLookup(error.code)) return 'findCoordinator';
  // COORDINATOR_LOAD_IN_PROGRESS, CONCURRENT_TRANSACTIONS (the previous EndTxn is still writing markers),
  // transport failures and timeouts.
  if (error.retriable) return 'retry';
  return 'abortable';
}

/** Whether `error` leaves the producer unusable (see FATAL_CODES). */
export function isFatalTransactionError(error: TributaryError): boolean {
  return FATAL_CODES.has(error.code);
}

export interface TopicPartitionKey {
  readonly topic: string;
  readonly partition: number;
}

const keyOf = (topic: string, partition: number): string => `${topic}\u0000${partition}`;

export class TransactionStateMachine {
  private current: TransactionState = 'uninitialized';
  /** Why the transaction is abortable, or the producer dead. */
  private failure: TributaryError | undefined;
  /** Partitions the coordinator has added to the open transaction. */
  private readonly added = new Map<string, TopicPartitionKey>();
  /** Groups whose offsets the coordinator has added (AddOffsetsToTxn) to the open transaction. */
  private readonly groups = new Set<string>();
  /** A send failed definitively in this transaction: its sequences may have a gap (see needsEpochBump). */
  private sequencesBroken = false;

  constructor(readonly transactionalId: string) {
    const idBytes = Buffer.byteLength(transactionalId, 'utf8');
    assert(
      idBytes > 0 && idBytes <= TRANSACTION_LIMITS.transactionalIdBytesMax,
      () => `transactional id bytes must be in [1, ${TRANSACTION_LIMITS.transactionalIdBytesMax}]`,
    );
  }

  get state(): TransactionState {
    return this.current;
  }

  /** The error that made the transaction abortable or the producer fatal. */
  get lastError(): TributaryError | undefined {
    return this.failure;
  }

  get isActive(): boolean {
    return this.current === 'inTransaction' || this.current === 'abortableError';
  }

  /** Partitions already added to the open transaction, in the order they were added. */
  get partitions(): readonly TopicPartitionKey[] {
    return [...this.added.values()];
  }

  /** Moves to `to`, failing loudly (an assertion: the shell checked with require*) on an illegal move. */
  transition(to: TransactionState): void {
    assert(
      ALLOWED_FROM[to].includes(this.current),
      () => `${this.transactionalId}: illegal transaction state change ${this.current} → ${to}`,
    );
    if (to === 'inTransaction') {
      this.added.clear();
      this.groups.clear();
    }
    if (to === 'ready') {
      this.added.clear();
      this.groups.clear();
      this.failure = undefined;
    }
    this.current = to;
  }

  /** Throws the typed error the application sees when `operation` is not allowed now. */
  require(operation: 'begin' | 'send' | 'sendOffsets' | 'commit' | 'abort'): void {
    if (this.current === 'fatalError') throw this.unusable();
    const allowed: Readonly<Record<typeof operation, readonly TransactionState[]>> = {
      begin: ['ready'],
      send: ['inTransaction'],
      sendOffsets: ['inTransaction'],
      commit: ['inTransaction', 'committing'],
      abort: ['inTransaction', 'abortableError', 'aborting'],
    };
    if (allowed[operation].includes(this.current)) return;
    if (this.current === 'abortableError' && this.failure !== undefined) {
      throw new TributaryError(
        this.failure.code,
        `${this.transactionalId}: the transaction can only be aborted: ${this.failure.message}`,
        { cause: this.failure },
      );
    }
    throw new TributaryError(
      'INVALID_TXN_STATE',
      `${this.transactionalId}: cannot ${operation} in state ${this.current}` +
        (operation === 'begin' && this.isActive ? ' (one transaction at a time per producer)' : ''),
    );
  }

  /** The error every operation of a producer in fatalError fails with: the fatal error's code. */
  unusable(): TributaryError {
    assert(this.current === 'fatalError', 'unusable() outside fatalError');
    const cause = this.failure;
    return new TributaryError(
      cause?.code ?? 'INVALID_TXN_STATE',
      `${this.transactionalId}: the producer is unusable after a fatal error` +
        (cause === undefined ? '' : `: ${cause.message}`),
      cause === undefined ? {} : { cause },
    );
  }

  /** The partitions of `wanted` not yet in the transaction (distinct, in order). */
  missingPartitions(wanted: readonly TopicPartitionKey[]): TopicPartitionKey[] {
    const missing = new Map<string, TopicPartitionKey>();
    for (const tp of wanted) {
      const key = keyOf(tp.topic, tp.partition);
      if (!this.added.has(key)) missing.set(key, { topic: tp.topic, partition: tp.partition });
    }
    if (this.added.size + missing.size > TRANSACTION_LIMITS.partitionsPerTransactionMax) {
      throw new TributaryError(
        'INVALID_REQUEST',
        `${this.transactionalId}: a transaction writes at most ` +
          `${TRANSACTION_LIMITS.partitionsPerTransactionMax} partitions`,
      );
    }
    return [...missing.values()];
  }

  /** The coordinator added these partitions (AddPartitionsToTxn succeeded). */
  partitionsAdded(partitions: readonly TopicPartitionKey[]): void {
    assert(this.isActive, () => `${this.transactionalId}: partitions added outside a transaction`);
    for (const tp of partitions) this.added.set(keyOf(tp.topic, tp.partition), tp);
  }

  /** Whether any group's offsets were added to the open transaction. */
  get hasAnyOffsets(): boolean {
    return this.groups.size > 0;
  }

  hasOffsetsOf(groupId: string): boolean {
    return this.groups.has(groupId);
  }

  offsetsAdded(groupId: string): void {
    assert(this.isActive, () => `${this.transactionalId}: offsets added outside a transaction`);
    this.groups.add(groupId);
  }

  /**
   * A call or send of the open transaction failed: fatal errors end the producer, anything else makes
   * the transaction abortable (Kafka's transitionToAbortableError), unless it is already ending.
   */
  fail(error: TributaryError): void {
    if (isFatalTransactionError(error)) {
      this.failure = error;
      this.transition('fatalError');
      return;
    }
    if (this.current === 'inTransaction' || this.current === 'committing') {
      this.failure = error;
      this.transition('abortableError');
    }
  }

  /** A batch failed definitively: the idempotent session was reset, so the next one needs a new epoch. */
  noteSequencesBroken(): void {
    this.sequencesBroken = true;
  }

  /**
   * After an abort, whether the producer must bump its epoch (InitTransactions with its current id and
   * epoch, KIP-360) before the next transaction: a definitively failed batch may have left a gap in its
   * sequences, and the same epoch could never write that partition again.
   */
  get needsEpochBump(): boolean {
    return this.sequencesBroken;
  }

  epochBumped(): void {
    this.sequencesBroken = false;
  }
}
