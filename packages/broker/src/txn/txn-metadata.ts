/**
 * One transactional id's state at the transaction coordinator — Kafka's TransactionMetadata — and its
 * state machine as pure functions. Each `decide*` function takes the current metadata and a request,
 * applies Kafka's checks in Kafka's order (the order decides which error a client sees when several
 * apply) and returns the next metadata to write to __transaction_state, or throws a TributaryError with
 * Kafka's code. Nothing here changes state: the coordinator (txn-coordinator-core.ts) holds the result
 * as a pending transition until the write is acknowledged, and only then makes it current.
 *
 * Transaction protocol version 1 (KIP-98 with KIP-360's epoch bumps and KIP-890 part 1's verification):
 * the epoch is bumped by InitProducerId and by fencing, not by every transaction (that is KIP-890 part 2).
 */
import { AssertionError, assert, assertNever, TributaryError } from '@tributary/core';
import {
  type Assignment,
  EMPTY_ASSIGNMENT,
  fromPairs,
  type TopicPartition,
  toPairs,
} from '../group/assignment.js';
import { TXN_LIMITS } from './limits.js';
import type { TxnLogValue } from './txn-log-codec.js';

export const NO_PRODUCER_ID = -1;
export const NO_PRODUCER_EPOCH = -1;

/** Kafka's TransactionState, indexed by the id written in TransactionLogValue.TransactionStatus. */
export const TXN_STATES = [
  'Empty',
  'Ongoing',
  'PrepareCommit',
  'PrepareAbort',
  'CompleteCommit',
  'CompleteAbort',
  'Dead',
  'PrepareEpochFence',
] as const;
export type TxnState = (typeof TXN_STATES)[number];

export type TxnResult = 'commit' | 'abort';

/**
 * Kafka's validPreviousStates (transaction version 1). Dead is only ever written as a tombstone and
 * PrepareEpochFence only ever held in memory on the way from Ongoing to PrepareAbort.
 */
export const VALID_PREVIOUS_STATES: Readonly<Record<TxnState, readonly TxnState[]>> = {
  Empty: ['Empty', 'CompleteCommit', 'CompleteAbort'],
  Ongoing: ['Ongoing', 'Empty', 'CompleteCommit', 'CompleteAbort'],
  PrepareCommit: ['Ongoing'],
  PrepareAbort: ['Ongoing', 'PrepareEpochFence'],
  CompleteCommit: ['PrepareCommit'],
  CompleteAbort: ['PrepareAbort'],
  Dead: ['Empty', 'CompleteCommit', 'CompleteAbort'],
  PrepareEpochFence: ['Ongoing'],
};

export interface TxnMetadata {
  readonly transactionalId: string;
  readonly producerId: number;
  readonly producerEpoch: number;
  /** KIP-360: the producer id before the last rotation, so a retried InitProducerId is recognised. */
  readonly lastProducerId: number;
  /** KIP-360: the epoch before the last bump (NO_PRODUCER_EPOCH when none or after a fence). */
  readonly lastProducerEpoch: number;
  readonly timeoutMs: number;
  readonly state: TxnState;
  /** The transaction's partitions, normalised; empty outside Ongoing and the Prepare states. */
  readonly partitions: Assignment;
  /** When the first partition was added; -1 while no transaction has started. */
  readonly txnStartMs: number;
  readonly lastUpdateMs: number;
}

export interface ProducerIdAndEpoch {
  readonly producerId: number;
  readonly producerEpoch: number;
}

export function txnStateId(state: TxnState): number {
  return TXN_STATES.indexOf(state);
}

function invalidState(meta: TxnMetadata, what: string): TributaryError {
  return new TributaryError(
    'INVALID_TXN_STATE',
    `transactional id ${meta.transactionalId} is ${meta.state}: ${what} is not allowed`,
  );
}

function concurrent(meta: TxnMetadata): TributaryError {
  return new TributaryError(
    'CONCURRENT_TRANSACTIONS',
    `transactional id ${meta.transactionalId} is completing a state change (${meta.state}); retry`,
  );
}

function fenced(meta: TxnMetadata, epoch: number): TributaryError {
  return new TributaryError(
    'PRODUCER_FENCED',
    `producer epoch ${epoch} of ${meta.transactionalId} is not the current epoch ${meta.producerEpoch}`,
  );
}

function wrongProducerId(transactionalId: string, producerId: number): TributaryError {
  return new TributaryError(
    'INVALID_PRODUCER_ID_MAPPING',
    `producer id ${producerId} is not the one mapped to transactional id ${transactionalId}`,
  );
}

/** Dead and PrepareEpochFence are never current: only pending, on the way to a tombstone or an abort. */
function restingInTransientState(meta: TxnMetadata): AssertionError {
  return new AssertionError(`${meta.transactionalId} rests in the transient state ${meta.state}`);
}

/** Kafka's TransactionMetadata.isEpochExhausted: one epoch is kept spare for fencing. */
export function isEpochExhausted(epoch: number, epochMax: number): boolean {
  return epoch >= epochMax - TXN_LIMITS.producerEpochExhaustedMargin;
}

/** The one way to a new metadata: checks the state machine (a bug if broken) and that epochs only grow. */
function moveTo(meta: TxnMetadata, next: Partial<TxnMetadata> & { readonly state: TxnState }): TxnMetadata {
  assert(VALID_PREVIOUS_STATES[next.state].includes(meta.state), () => {
    return `${meta.transactionalId}: ${meta.state} → ${next.state} is not a transition`;
  });
  const target = { ...meta, ...next };
  assert(
    target.producerId !== meta.producerId || target.producerEpoch >= meta.producerEpoch,
    () => `${meta.transactionalId}: epoch ${meta.producerEpoch} → ${target.producerEpoch} goes back`,
  );
  return target;
}

/** A transactional id seen for the first time: in memory only, until InitProducerId writes epoch 0. */
export function newTxnMetadata(options: {
  readonly transactionalId: string;
  readonly producerId: number;
  readonly timeoutMs: number;
  readonly nowMs: number;
}): TxnMetadata {
  return {
    transactionalId: options.transactionalId,
    producerId: options.producerId,
    producerEpoch: NO_PRODUCER_EPOCH,
    lastProducerId: NO_PRODUCER_ID,
    lastProducerEpoch: NO_PRODUCER_EPOCH,
    timeoutMs: options.timeoutMs,
    state: 'Empty',
    partitions: EMPTY_ASSIGNMENT,
    txnStartMs: -1,
    lastUpdateMs: options.nowMs,
  };
}

/**
 * KIP-360's rule for an InitProducerId that names the producer id and epoch it had: accept it when the
 * metadata was just created (no epoch yet), when the producer id is the current one (the epoch is checked
 * when bumping), or when it is the previous one at an exhausted epoch (a retry after a rotation whose
 * answer was lost).
 */
export function isValidProducerId(
  meta: TxnMetadata,
  expected: ProducerIdAndEpoch,
  epochMax: number,
): boolean {
  return (
    meta.producerEpoch === NO_PRODUCER_EPOCH ||
    expected.producerId === meta.producerId ||
    (expected.producerId === meta.lastProducerId && isEpochExhausted(expected.producerEpoch, epochMax))
  );
}

export interface InitProducerIdInput {
  /** Whether another state change of this id is in flight. */
  readonly pending: boolean;
  /** KIP-360: the producer id and epoch the client had, or null for a new producer. */
  readonly expected: ProducerIdAndEpoch | null;
  readonly timeoutMs: number;
  readonly nowMs: number;
  readonly epochMax: number;
}

/**
 * InitProducerId's decision: `write` the bumped epoch (state Empty); `rotate` to a new producer id (the
 * epoch is exhausted: allocate one and call rotateProducerId); or `fence` an Ongoing transaction — write
 * PrepareAbort at a bumped epoch, so the old producer's markers and requests are refused, and answer
 * CONCURRENT_TRANSACTIONS so the client retries once the abort completes (and bumps once more).
 */
export type InitDecision =
  | { readonly kind: 'write'; readonly target: TxnMetadata }
  | { readonly kind: 'rotate' }
  | { readonly kind: 'fence'; readonly target: TxnMetadata };

export function decideInitProducerId(meta: TxnMetadata, input: InitProducerIdInput): InitDecision {
  if (input.pending) throw concurrent(meta);
  const { expected } = input;
  if (expected !== null && !isValidProducerId(meta, expected, input.epochMax)) {
    throw new TributaryError(
      'PRODUCER_FENCED',
      `producer id ${expected.producerId} of ${meta.transactionalId} was replaced by ${meta.producerId}`,
    );
  }
  switch (meta.state) {
    case 'PrepareCommit':
    case 'PrepareAbort':
      throw concurrent(meta);
    case 'Empty':
    case 'CompleteCommit':
    case 'CompleteAbort':
      if (
        isEpochExhausted(meta.producerEpoch, input.epochMax) &&
        (expected === null || expected.producerEpoch === meta.producerEpoch)
      ) {
        return { kind: 'rotate' };
      }
      return { kind: 'write', target: bumpEpoch(meta, input) };
    case 'Ongoing':
      return { kind: 'fence', target: fenceAndAbort(meta, input.nowMs, input.epochMax) };
    case 'Dead':
    case 'PrepareEpochFence':
      throw restingInTransientState(meta);
    default:
      return assertNever(meta.state, 'transaction state');
  }
}

/** Kafka's prepareIncrementProducerEpoch: bump, or answer a retry with the current epoch, or fence. */
function bumpEpoch(meta: TxnMetadata, input: InitProducerIdInput): TxnMetadata {
  const { expected } = input;
  let epochs: [number, number];
  if (expected === null) {
    epochs = [meta.producerEpoch + 1, NO_PRODUCER_EPOCH];
  } else if (meta.producerEpoch === NO_PRODUCER_EPOCH || expected.producerEpoch === meta.producerEpoch) {
    epochs = [meta.producerEpoch + 1, meta.producerEpoch];
  } else if (expected.producerEpoch === meta.lastProducerEpoch) {
    // A retry of an InitProducerId that succeeded: its answer was lost, so give the same epoch again.
    epochs = [meta.producerEpoch, meta.lastProducerEpoch];
  } else {
    throw fenced(meta, expected.producerEpoch);
  }
  const [producerEpoch, lastProducerEpoch] = epochs;
  assert(producerEpoch <= input.epochMax, () => `${meta.transactionalId}: epoch ${producerEpoch} overflows`);
  return moveTo(meta, {
    state: 'Empty',
    producerEpoch,
    lastProducerEpoch,
    timeoutMs: input.timeoutMs,
    partitions: EMPTY_ASSIGNMENT,
    txnStartMs: -1,
    lastUpdateMs: input.nowMs,
  });
}

/** Kafka's prepareProducerIdRotation, once a new producer id was allocated for an exhausted epoch. */
export function rotateProducerId(
  meta: TxnMetadata,
  newProducerId: number,
  input: InitProducerIdInput,
): TxnMetadata {
  assert(newProducerId !== meta.producerId, 'a rotation changes the producer id');
  return moveTo(meta, {
    state: 'Empty',
    producerId: newProducerId,
    producerEpoch: 0,
    lastProducerId: meta.producerId,
    // Recorded only when the client named its epoch, so its retry is recognised (isValidProducerId).
    lastProducerEpoch: input.expected === null ? NO_PRODUCER_EPOCH : meta.producerEpoch,
    timeoutMs: input.timeoutMs,
    partitions: EMPTY_ASSIGNMENT,
    txnStartMs: -1,
    lastUpdateMs: input.nowMs,
  });
}

/**
 * Fencing an Ongoing transaction (a new producer's InitProducerId, or a timeout): Kafka's
 * prepareFenceProducerEpoch then prepareAbortOrCommit. The abort is written at epoch + 1, so every marker
 * carries an epoch the old producer cannot use; the spare epoch kept by isEpochExhausted makes room.
 */
export function fenceAndAbort(meta: TxnMetadata, nowMs: number, epochMax: number): TxnMetadata {
  assert(meta.producerEpoch < epochMax, () => `${meta.transactionalId}: no epoch left to fence with`);
  const fencing = moveTo(meta, {
    state: 'PrepareEpochFence',
    producerEpoch: meta.producerEpoch + 1,
    lastProducerEpoch: NO_PRODUCER_EPOCH,
  });
  return moveTo(fencing, { state: 'PrepareAbort', lastUpdateMs: nowMs });
}

export interface ProducerRequest extends ProducerIdAndEpoch {
  readonly pending: boolean;
  readonly nowMs: number;
}

/** The checks every client request of an existing transaction starts with, in Kafka's order. */
function checkProducer(
  meta: TxnMetadata | null,
  transactionalId: string,
  request: ProducerRequest,
): TxnMetadata {
  if (meta === null || meta.producerId !== request.producerId)
    throw wrongProducerId(transactionalId, request.producerId);
  if (meta.producerEpoch !== request.producerEpoch) throw fenced(meta, request.producerEpoch);
  if (request.pending) throw concurrent(meta);
  return meta;
}

/** AddPartitionsToTxn (and AddOffsetsToTxn): `null` when every partition is already in the transaction. */
export function decideAddPartitions(
  current: TxnMetadata | null,
  transactionalId: string,
  request: ProducerRequest & { readonly partitions: readonly TopicPartition[] },
): TxnMetadata | null {
  const meta = checkProducer(current, transactionalId, request);
  if (meta.state === 'PrepareCommit' || meta.state === 'PrepareAbort') throw concurrent(meta);
  assert(meta.state !== 'Dead' && meta.state !== 'PrepareEpochFence', 'a resting state');
  const partitions = fromPairs([...toPairs(meta.partitions), ...request.partitions]);
  const count = toPairs(partitions).length;
  if (meta.state === 'Ongoing' && count === toPairs(meta.partitions).length) return null;
  if (count > TXN_LIMITS.partitionsPerTransactionMax) {
    throw new TributaryError(
      'INVALID_REQUEST',
      `a transaction holds at most ${TXN_LIMITS.partitionsPerTransactionMax} partitions`,
    );
  }
  return moveTo(meta, {
    state: 'Ongoing',
    partitions,
    txnStartMs: meta.state === 'Ongoing' ? meta.txnStartMs : request.nowMs,
    lastUpdateMs: request.nowMs,
  });
}

/**
 * KIP-890's verification, asked by a partition leader before a producer's first transactional write to
 * it: null (accepted) or the refusal for each partition. Only a settled Ongoing transaction counts — one
 * whose commit or abort is being written would let a write land after its marker and hang the partition.
 */
export function verifyPartitions(
  meta: TxnMetadata | null,
  transactionalId: string,
  request: ProducerIdAndEpoch & {
    readonly pendingState: TxnState | null;
    readonly partitions: readonly TopicPartition[];
  },
): (TributaryError | null)[] {
  let refusal: TributaryError | null = null;
  if (meta === null || meta.producerId !== request.producerId) {
    refusal = wrongProducerId(transactionalId, request.producerId);
  } else if (meta.producerEpoch !== request.producerEpoch) {
    refusal = fenced(meta, request.producerEpoch);
  }
  return request.partitions.map(({ topic, partition }) => {
    if (refusal !== null) return refusal;
    assert(meta !== null, 'checked above');
    const settled = meta.state === 'Ongoing' && (request.pendingState ?? 'Ongoing') === 'Ongoing';
    const added = meta.partitions.get(topic)?.includes(partition) === true;
    return settled && added ? null : invalidState(meta, `writing to ${topic}-${partition} before adding it`);
  });
}

/** EndTxn from a client: `null` when it repeats a completed EndTxn (Kafka answers NONE). */
export function decideEndTxn(
  current: TxnMetadata | null,
  transactionalId: string,
  request: ProducerRequest & { readonly result: TxnResult },
): TxnMetadata | null {
  const meta = checkProducer(current, transactionalId, request);
  const commit = request.result === 'commit';
  switch (meta.state) {
    case 'Ongoing':
      return moveTo(meta, { state: commit ? 'PrepareCommit' : 'PrepareAbort', lastUpdateMs: request.nowMs });
    case 'CompleteCommit':
      if (commit) return null;
      throw invalidState(meta, 'abort');
    case 'CompleteAbort':
      if (!commit) return null;
      throw invalidState(meta, 'commit');
    case 'PrepareCommit':
      if (commit) throw concurrent(meta);
      throw invalidState(meta, 'abort');
    case 'PrepareAbort':
      if (!commit) throw concurrent(meta);
      throw invalidState(meta, 'commit');
    case 'Empty':
      throw invalidState(meta, request.result);
    case 'Dead':
    case 'PrepareEpochFence':
      throw restingInTransientState(meta);
    default:
      return assertNever(meta.state, 'transaction state');
  }
}

/** After every marker was written: Complete*, the partitions forgotten (Kafka's prepareComplete). */
export function completeTransaction(meta: TxnMetadata, nowMs: number): TxnMetadata {
  assert(
    meta.state === 'PrepareCommit' || meta.state === 'PrepareAbort',
    'only a prepared transaction completes',
  );
  return moveTo(meta, {
    state: meta.state === 'PrepareCommit' ? 'CompleteCommit' : 'CompleteAbort',
    partitions: EMPTY_ASSIGNMENT,
    lastUpdateMs: nowMs,
  });
}

/** The marker a prepared transaction writes. */
export function markerOf(meta: TxnMetadata): TxnResult {
  assert(
    meta.state === 'PrepareCommit' || meta.state === 'PrepareAbort',
    'only a prepared transaction has markers',
  );
  return meta.state === 'PrepareCommit' ? 'commit' : 'abort';
}

/** Removing an expired transactional id (written as a tombstone). */
export function prepareDead(meta: TxnMetadata): TxnMetadata {
  return moveTo(meta, { state: 'Dead' });
}

/** Kafka's timedOutTransactions: Ongoing for longer than its timeout. */
export function isTimedOut(meta: TxnMetadata, nowMs: number): boolean {
  return meta.state === 'Ongoing' && meta.txnStartMs + meta.timeoutMs < nowMs;
}

/** Kafka's removeExpiredTransactionalIds: no transaction for transactional.id.expiration.ms. */
export function isExpired(meta: TxnMetadata, nowMs: number, expirationMs: number): boolean {
  const resting = meta.state === 'Empty' || meta.state === 'CompleteCommit' || meta.state === 'CompleteAbort';
  return resting && meta.lastUpdateMs <= nowMs - expirationMs;
}

/** The record written for a metadata (Kafka's valueToBytes: partitions null in Empty). */
export function toLogValue(meta: TxnMetadata): TxnLogValue {
  assert(meta.state !== 'Dead' && meta.state !== 'PrepareEpochFence', 'only resting states are written');
  assert(meta.state !== 'Empty' || meta.partitions.size === 0, 'an Empty transaction has no partitions');
  return {
    producerId: meta.producerId,
    producerEpoch: meta.producerEpoch,
    transactionTimeoutMs: meta.timeoutMs,
    transactionStatus: txnStateId(meta.state),
    transactionPartitions:
      meta.state === 'Empty'
        ? null
        : [...meta.partitions].map(([topic, partitionIds]) => ({ topic, partitionIds: [...partitionIds] })),
    transactionLastUpdateTimestampMs: meta.lastUpdateMs,
    transactionStartTimestampMs: meta.txnStartMs,
  };
}

/**
 * The metadata a loaded record describes. The v0 record has no lastProducerId/lastProducerEpoch (Kafka
 * reads them as unknown too): after a failover a lost InitProducerId answer is fenced, not recognised.
 */
export function fromLogValue(transactionalId: string, value: TxnLogValue): TxnMetadata {
  const state = TXN_STATES[value.transactionStatus];
  if (state === undefined || state === 'Dead' || state === 'PrepareEpochFence') {
    throw new TributaryError(
      'CORRUPT_MESSAGE',
      `__transaction_state record of ${transactionalId}: status ${value.transactionStatus} is never written`,
    );
  }
  const pairs = (value.transactionPartitions ?? []).flatMap(({ topic, partitionIds }) =>
    partitionIds.map((partition) => ({ topic, partition })),
  );
  return {
    transactionalId,
    producerId: value.producerId,
    producerEpoch: value.producerEpoch,
    lastProducerId: NO_PRODUCER_ID,
    lastProducerEpoch: NO_PRODUCER_EPOCH,
    timeoutMs: value.transactionTimeoutMs,
    state,
    partitions: state === 'Empty' ? EMPTY_ASSIGNMENT : fromPairs(pairs),
    txnStartMs: value.transactionStartTimestampMs,
    lastUpdateMs: value.transactionLastUpdateTimestampMs,
  };
}
