/**
 * Idempotent producer state of one partition (Kafka's ProducerStateManager and ProducerAppendInfo): per
 * producer id, its epoch and the last few batches it appended, so the leader can answer a retried batch
 * with the offsets it got the first time, and refuse a batch that would leave a gap in the sequence.
 *
 * Pure and synchronous: time comes in as `nowMs` (the log's monotonic clock), nothing touches the disk.
 * An append works on a scratch copy (`beginAppend`) that is committed only after the write succeeded, so a
 * failed write leaves the state as it was.
 *
 * Transactions (KIP-98): a producer's first transactional batch opens its transaction at that batch's offset
 * (Kafka's currentTxnFirstOffset); a COMMIT or ABORT marker (a control batch the coordinator writes) closes it.
 * The open transactions, ordered by first offset, give the partition's first unstable offset, below which
 * the last stable offset (LSO) must stay: read_committed consumers read only below it.
 *
 * Coordinator fencing (Kafka's TransactionCoordinatorFencedException): each producer remembers the
 * coordinator epoch of the last marker written for it, and the leader refuses a marker with a lower one. A
 * coordinator deposed while its WriteTxnMarkers was in flight must not close a later transaction the new
 * one owns.
 */
import { assert } from '@tributary/core';
import type { ControlMarker } from '@tributary/records';
import { LogAppendError } from './append-validation.js';
import { NO_COORDINATOR_EPOCH } from './batch-codec.js';
import { LOG_LIMITS } from './limits.js';

/** Kafka's RecordBatch.NO_PRODUCER_ID: a batch from a producer that is not idempotent. */
export const NO_PRODUCER_ID = -1;
/** Sequences are int32 and wrap from 2^31 - 1 back to 0 (Kafka's DefaultRecordBatch.incrementSequence). */
export const SEQUENCE_MAX = 0x7fff_ffff;
const PRODUCER_EPOCH_MAX = 0x7fff;

/** The producer fields of one batch plus the offsets it occupies (or would occupy) in the log. */
export interface ProducerBatch {
  readonly producerId: number;
  readonly producerEpoch: number;
  readonly baseSequence: number;
  readonly firstOffset: number;
  readonly lastOffset: number;
  readonly maxTimestamp: number;
  /** Attributes bit 4 (absent: false). */
  readonly isTransactional?: boolean;
  /** Attributes bit 5 (absent: false): a transaction marker, whose `controlMarker` null means unreadable. */
  readonly isControl?: boolean;
  readonly controlMarker?: ControlMarker | null;
  /** A marker's coordinator epoch (absent or NO_COORDINATOR_EPOCH: none; data batches have none). */
  readonly coordinatorEpoch?: number;
}

/** A transaction a marker closed in this append (the log writes aborted ones to the transaction index). */
export interface CompletedTransaction {
  readonly producerId: number;
  readonly firstOffset: number;
  /** The marker's offset. */
  readonly lastOffset: number;
  readonly aborted: boolean;
  /** The first unstable offset right after the marker, or the offset after it when none is open. */
  readonly lastStableOffset: number;
}

/** An open transaction: its producer and the offset of its first batch in this partition. */
export interface OngoingTransaction {
  readonly producerId: number;
  readonly firstOffset: number;
}

/** What the state keeps of one appended batch. */
export interface BatchMetadata {
  readonly firstSequence: number;
  readonly lastSequence: number;
  readonly firstOffset: number;
  readonly lastOffset: number;
  readonly maxTimestamp: number;
}

export interface ProducerEntry {
  readonly producerId: number;
  readonly producerEpoch: number;
  /**
   * Oldest first; at most LOG_LIMITS.producerBatchesRetained, all of `producerEpoch`. Empty only when a
   * marker opened the entry or moved it to a new epoch (the next batch then starts at sequence 0).
   */
  readonly batches: readonly BatchMetadata[];
  /** The first offset of the producer's open transaction (Kafka's currentTxnFirstOffset); absent: none. */
  readonly currentTxnFirstOffset?: number;
  /**
   * The coordinator epoch of the last marker written for the producer (Kafka's coordinatorEpoch); absent:
   * no marker seen, or one without an epoch. Never negative when present. Kept across producer epochs: the
   * coordinator owning a transactional id only changes through a newer leader epoch of its partition.
   */
  readonly coordinatorEpoch?: number;
  /** The log clock when the producer last appended (or when the state was rebuilt), for expiry. */
  readonly lastUpdateMs: number;
}

/** A leader's verdict on one batch. */
export type ProducerCheck =
  | { readonly kind: 'not-idempotent' }
  | { readonly kind: 'new' }
  | { readonly kind: 'duplicate'; readonly firstOffset: number; readonly lastOffset: number };

export interface ProducerStateOptions {
  /** Producers idle longer than this are forgotten (Kafka: producer.id.expiration.ms). */
  readonly producerIdExpirationMs: number;
  /** Beyond this many producers the least recently used one is forgotten. */
  readonly producersMax?: number;
}

/** The sequence following `sequence`, wrapping at 2^31 - 1. */
export function nextSequence(sequence: number, increment = 1): number {
  assert(sequence >= 0 && sequence <= SEQUENCE_MAX && increment >= 0, 'sequence arithmetic in range');
  const sum = sequence + increment;
  return sum > SEQUENCE_MAX ? sum - SEQUENCE_MAX - 1 : sum;
}

export function isIdempotent(batch: { readonly producerId: number }): boolean {
  return batch.producerId >= 0;
}

function metadataOf(batch: ProducerBatch): BatchMetadata {
  return {
    firstSequence: batch.baseSequence,
    lastSequence: nextSequence(batch.baseSequence, batch.lastOffset - batch.firstOffset),
    firstOffset: batch.firstOffset,
    lastOffset: batch.lastOffset,
    maxTimestamp: batch.maxTimestamp,
  };
}

function fieldsValid(batch: ProducerBatch): boolean {
  return (
    Number.isSafeInteger(batch.producerId) &&
    batch.producerId < Number.MAX_SAFE_INTEGER &&
    Number.isInteger(batch.producerEpoch) &&
    batch.producerEpoch >= 0 &&
    batch.producerEpoch <= PRODUCER_EPOCH_MAX &&
    Number.isInteger(batch.baseSequence) &&
    batch.baseSequence >= 0 &&
    batch.baseSequence <= SEQUENCE_MAX &&
    batch.lastOffset >= batch.firstOffset
  );
}

/** Refuses producer fields no client could have meant: they would corrupt the state if recorded. */
function checkFields(batch: ProducerBatch): void {
  if (!fieldsValid(batch)) {
    throw new LogAppendError(
      'INVALID_PRODUCER_FIELDS',
      `producer ${batch.producerId} sent epoch ${batch.producerEpoch} and base sequence ${batch.baseSequence}`,
    );
  }
}

/**
 * The entry after appending `batch` (no checks): a new epoch starts a new batch list. A transactional batch
 * opens a transaction unless one is open; an open one stays open across an epoch bump (as Kafka keeps
 * currentTxnFirstOffset), so the marker that finally closes it covers all of its batches.
 */
function withBatch(entry: ProducerEntry | undefined, batch: ProducerBatch, nowMs: number): ProducerEntry {
  const metadata = metadataOf(batch);
  const sameEpoch = entry !== undefined && entry.producerEpoch === batch.producerEpoch;
  const previous = sameEpoch ? entry.batches : [];
  const batches = [...previous, metadata].slice(-LOG_LIMITS.producerBatchesRetained);
  const next = withCoordinatorEpoch(
    { producerId: batch.producerId, producerEpoch: batch.producerEpoch, batches, lastUpdateMs: nowMs },
    entry?.coordinatorEpoch,
  );
  const txnFirstOffset =
    entry?.currentTxnFirstOffset ?? (batch.isTransactional === true ? batch.firstOffset : undefined);
  return txnFirstOffset === undefined ? next : { ...next, currentTxnFirstOffset: txnFirstOffset };
}

/** `entry` with the coordinator epoch set, or without one when `epoch` is absent or negative (none). */
function withCoordinatorEpoch(entry: ProducerEntry, epoch: number | undefined): ProducerEntry {
  const { coordinatorEpoch: _previous, ...rest } = entry;
  return epoch === undefined || epoch < 0 ? rest : { ...rest, coordinatorEpoch: epoch };
}

/** A marker's coordinator epoch, NO_COORDINATOR_EPOCH when it has none. */
function markerCoordinatorEpoch(batch: ProducerBatch): number {
  return batch.coordinatorEpoch ?? NO_COORDINATOR_EPOCH;
}

/**
 * The entry after a marker: no open transaction; a new epoch drops the old epoch's batches. The coordinator
 * epoch becomes the marker's, as the log has it (on the leader checkMarker made sure it did not go back).
 */
function withMarker(entry: ProducerEntry | undefined, batch: ProducerBatch, nowMs: number): ProducerEntry {
  const sameEpoch = entry !== undefined && entry.producerEpoch === batch.producerEpoch;
  const next = {
    producerId: batch.producerId,
    producerEpoch: batch.producerEpoch,
    batches: sameEpoch ? entry.batches : [],
    lastUpdateMs: nowMs,
  };
  return withCoordinatorEpoch(next, markerCoordinatorEpoch(batch));
}

function markerFieldsValid(batch: ProducerBatch): boolean {
  return (
    Number.isSafeInteger(batch.producerId) &&
    batch.producerId < Number.MAX_SAFE_INTEGER &&
    Number.isInteger(batch.producerEpoch) &&
    batch.producerEpoch >= 0 &&
    batch.producerEpoch <= PRODUCER_EPOCH_MAX
  );
}

export class ProducerStateManager {
  /** Insertion order is recency order: an update moves the producer to the end, eviction takes the front. */
  private readonly producers = new Map<number, ProducerEntry>();
  /**
   * Open transactions, first offset -> producer id. Transactions open at the log end, so insertion order is
   * offset order and the first key is the first unstable offset.
   */
  private readonly ongoing = new Map<number, number>();
  /** The last offset of any transactional or control batch seen (-1: none): a truncation below it rebuilds. */
  private lastTransactionalOffsetSeen = -1;
  private readonly producersMax: number;
  private readonly expirationMs: number;

  constructor(options: ProducerStateOptions) {
    this.producersMax = options.producersMax ?? LOG_LIMITS.producersPerPartitionMax;
    this.expirationMs = options.producerIdExpirationMs;
    assert(this.producersMax >= 1, 'producer state holds at least one producer');
    assert(this.expirationMs >= 1, 'producer id expiration is positive');
  }

  get producerCount(): number {
    return this.producers.size;
  }

  entry(producerId: number): ProducerEntry | undefined {
    return this.producers.get(producerId);
  }

  /** The smallest first offset of an open transaction; null when none is open. */
  get firstUnstableOffset(): number | null {
    for (const firstOffset of this.ongoing.keys()) return firstOffset;
    return null;
  }

  /** Open transactions, by first offset. */
  ongoingTransactions(): OngoingTransaction[] {
    return [...this.ongoing].map(([firstOffset, producerId]) => ({ producerId, firstOffset }));
  }

  get lastTransactionalOffset(): number {
    return this.lastTransactionalOffsetSeen;
  }

  /**
   * Whether the batch is ahead of the sequence this partition expects from its producer: an earlier batch
   * of the same producer and epoch (or, for a producer not seen yet, its first batch) has not been appended.
   * Behind (a retry, a duplicate) and other epochs are not "ahead": check() decides those.
   */
  sequenceAhead(batch: Pick<ProducerBatch, 'producerId' | 'producerEpoch' | 'baseSequence'>): boolean {
    if (!isIdempotent(batch) || batch.baseSequence < 0 || batch.baseSequence > SEQUENCE_MAX) return false;
    const entry = this.producers.get(batch.producerId);
    if (entry === undefined) return batch.baseSequence !== 0;
    if (entry.producerEpoch !== batch.producerEpoch) return false;
    const last = entry.batches[entry.batches.length - 1];
    if (last === undefined) return false;
    const sequences = SEQUENCE_MAX + 1;
    const distance = (batch.baseSequence - nextSequence(last.lastSequence) + sequences) % sequences;
    // Within half the sequence space ahead; the other half is behind (sequences wrap).
    return distance > 0 && distance < sequences / 2;
  }

  /** Every producer, least recently updated first. */
  entries(): ProducerEntry[] {
    return [...this.producers.values()];
  }

  clear(): void {
    this.producers.clear();
    this.ongoing.clear();
    this.lastTransactionalOffsetSeen = -1;
  }

  /**
   * Whether a truncation at `offset` changes the state: a retained batch, or a transactional batch or
   * marker (which opened or closed a transaction), reaches `offset` or beyond.
   */
  hasBatchesFrom(offset: number): boolean {
    if (this.lastTransactionalOffsetSeen >= offset) return true;
    for (const entry of this.producers.values()) {
      const last = entry.batches[entry.batches.length - 1];
      if (last !== undefined && last.lastOffset >= offset) return true;
    }
    return false;
  }

  /** Replaces the state with `entries` (least recently used first), all counted as seen at `nowMs`. */
  restore(
    entries: readonly Omit<ProducerEntry, 'lastUpdateMs'>[],
    nowMs: number,
    lastTransactionalOffset = -1,
  ): void {
    this.clear();
    this.applyEntries(
      entries.map((entry) => ({ ...entry, lastUpdateMs: nowMs })),
      lastTransactionalOffset,
    );
  }

  /** A scratch copy for one append; nothing changes until `commit`. */
  beginAppend(): ProducerAppend {
    return new ProducerAppend(this);
  }

  /** Forgets producers idle for longer than the expiration; returns how many. */
  removeExpired(nowMs: number): number {
    let removed = 0;
    for (const [producerId, entry] of this.producers) {
      // Kafka never expires a producer with an open transaction: the LSO would move past its data.
      if (nowMs - entry.lastUpdateMs > this.expirationMs && entry.currentTxnFirstOffset === undefined) {
        this.producers.delete(producerId);
        removed++;
      }
    }
    return removed;
  }

  /** Applies an append's scratch entries (ProducerAppend.commit calls this). */
  applyEntries(entries: Iterable<ProducerEntry>, lastTransactionalOffset = -1): void {
    const opened: OngoingTransaction[] = [];
    for (const entry of entries) {
      assert(entry.batches.length <= LOG_LIMITS.producerBatchesRetained, 'producer batches are bounded');
      assert((entry.coordinatorEpoch ?? 0) >= 0, 'a kept coordinator epoch is not negative (absent: none)');
      const before = this.producers.get(entry.producerId)?.currentTxnFirstOffset;
      const after = entry.currentTxnFirstOffset;
      if (before !== after) {
        if (before !== undefined) this.ongoing.delete(before);
        if (after !== undefined) opened.push({ producerId: entry.producerId, firstOffset: after });
      }
      this.producers.delete(entry.producerId);
      this.producers.set(entry.producerId, entry);
    }
    this.addOngoing(opened);
    this.lastTransactionalOffsetSeen = Math.max(this.lastTransactionalOffsetSeen, lastTransactionalOffset);
    for (const [producerId, entry] of this.producers) {
      if (this.producers.size <= this.producersMax) break;
      // A producer in a transaction stays (its marker must find it), even past the bound: transactions
      // are bounded by the coordinators' producers, and each ends with a marker or a timeout's abort.
      if (entry.currentTxnFirstOffset === undefined) this.producers.delete(producerId);
    }
  }

  private addOngoing(opened: OngoingTransaction[]): void {
    if (opened.length === 0) return;
    opened.sort((a, b) => a.firstOffset - b.firstOffset);
    let last = -1;
    for (const firstOffset of this.ongoing.keys()) last = firstOffset;
    for (const txn of opened) {
      assert(txn.firstOffset > last, () => `transaction at ${txn.firstOffset} opens after ${last}`);
      this.ongoing.set(txn.firstOffset, txn.producerId);
      last = txn.firstOffset;
    }
  }
}

/**
 * One append's view of the state: batches are checked (leader) or recorded (follower, recovery) in log
 * order, each seeing the ones before it; `commit` makes them the state.
 */
export class ProducerAppend {
  private readonly scratch = new Map<number, ProducerEntry>();
  private readonly completed: CompletedTransaction[] = [];
  private lastTransactionalOffset = -1;
  private committed = false;

  constructor(private readonly manager: ProducerStateManager) {}

  private current(producerId: number): ProducerEntry | undefined {
    return this.scratch.get(producerId) ?? this.manager.entry(producerId);
  }

  /** The transactions the markers of this append closed, in log order. */
  get completedTransactions(): readonly CompletedTransaction[] {
    return this.completed;
  }

  /** The first unstable offset as this append leaves it so far (the scratch over the committed state). */
  private firstUnstableOffset(): number | null {
    let min: number | null = null;
    for (const { producerId, firstOffset } of this.manager.ongoingTransactions()) {
      if (!this.scratch.has(producerId)) {
        min = firstOffset;
        break;
      }
    }
    for (const entry of this.scratch.values()) {
      const first = entry.currentTxnFirstOffset;
      if (first !== undefined && (min === null || first < min)) min = first;
    }
    return min;
  }

  private put(entry: ProducerEntry, batch: ProducerBatch): void {
    this.scratch.set(entry.producerId, entry);
    if (batch.isTransactional === true || batch.isControl === true) {
      this.lastTransactionalOffset = Math.max(this.lastTransactionalOffset, batch.lastOffset);
    }
  }

  /** Closes the producer's open transaction, if any (a marker without one is written and changes nothing else). */
  private applyMarker(entry: ProducerEntry | undefined, batch: ProducerBatch, nowMs: number): void {
    const firstOffset = entry?.currentTxnFirstOffset;
    this.put(withMarker(entry, batch, nowMs), batch);
    if (firstOffset === undefined) return;
    assert(firstOffset <= batch.lastOffset, 'a transaction opens before its marker');
    this.completed.push({
      producerId: batch.producerId,
      firstOffset,
      lastOffset: batch.lastOffset,
      aborted: batch.controlMarker === 'abort',
      lastStableOffset: this.firstUnstableOffset() ?? batch.lastOffset + 1,
    });
  }

  /**
   * The leader's check of a marker (the caller allows control batches only from the coordinator). Kafka's
   * fencing, in Kafka's order and before any state change: a marker from an older producer epoch than the
   * partition has seen is refused, and so is one from an older coordinator epoch than the last marker's
   * (a deposed coordinator's late WriteTxnMarkers would otherwise end a transaction its successor owns).
   */
  private checkMarker(batch: ProducerBatch, nowMs: number): ProducerCheck {
    if (batch.controlMarker === null || batch.controlMarker === undefined) {
      throw new LogAppendError(
        'INVALID_CONTROL_BATCH',
        `producer ${batch.producerId} sent an unreadable marker`,
      );
    }
    if (!markerFieldsValid(batch)) {
      throw new LogAppendError(
        'INVALID_PRODUCER_FIELDS',
        `marker for producer ${batch.producerId} epoch ${batch.producerEpoch}`,
      );
    }
    const entry = this.current(batch.producerId);
    if (entry !== undefined && batch.producerEpoch < entry.producerEpoch) {
      throw new LogAppendError(
        'INVALID_PRODUCER_EPOCH',
        `marker for producer ${batch.producerId} has epoch ${batch.producerEpoch}; the partition has seen ${entry.producerEpoch}`,
      );
    }
    const coordinatorEpoch = markerCoordinatorEpoch(batch);
    const lastCoordinatorEpoch = entry?.coordinatorEpoch ?? NO_COORDINATOR_EPOCH;
    if (coordinatorEpoch < lastCoordinatorEpoch) {
      throw new LogAppendError(
        'TRANSACTION_COORDINATOR_FENCED',
        `marker for producer ${batch.producerId} comes from coordinator epoch ${coordinatorEpoch}; ` +
          `the partition has seen a marker from coordinator epoch ${lastCoordinatorEpoch}`,
      );
    }
    this.applyMarker(entry, batch, nowMs);
    assert(
      (this.current(batch.producerId)?.coordinatorEpoch ?? NO_COORDINATOR_EPOCH) >= lastCoordinatorEpoch,
      'a leader never moves a producer back to an older coordinator epoch',
    );
    return { kind: 'new' };
  }

  /**
   * The leader's check (Kafka's ProducerAppendInfo with origin CLIENT). A duplicate of one of the retained
   * batches records nothing and returns the original offsets; a new batch is recorded in the scratch copy.
   * Throws LogAppendError (INVALID_PRODUCER_EPOCH, OUT_OF_ORDER_SEQUENCE) for a batch that cannot go in.
   */
  check(batch: ProducerBatch, nowMs: number, origin: 'client' | 'coordinator' = 'client'): ProducerCheck {
    if (!isIdempotent(batch)) {
      if (batch.isTransactional === true || batch.isControl === true) {
        throw new LogAppendError('INVALID_PRODUCER_FIELDS', 'a transactional batch without a producer id');
      }
      return { kind: 'not-idempotent' };
    }
    if (batch.isControl === true) return this.checkMarker(batch, nowMs);
    checkFields(batch);
    if (origin === 'coordinator') return this.checkCoordinatorBatch(batch, nowMs);
    const entry = this.current(batch.producerId);
    const metadata = metadataOf(batch);
    if (entry !== undefined && entry.producerEpoch === batch.producerEpoch) {
      const original = entry.batches.find(
        (kept) =>
          kept.firstSequence === metadata.firstSequence && kept.lastSequence === metadata.lastSequence,
      );
      if (original !== undefined) {
        return { kind: 'duplicate', firstOffset: original.firstOffset, lastOffset: original.lastOffset };
      }
    }
    if (entry?.currentTxnFirstOffset !== undefined && batch.isTransactional !== true) {
      // Kafka's InvalidTxnStateException: a producer in a transaction writes only transactional batches.
      throw new LogAppendError(
        'NOT_TRANSACTIONAL_IN_TRANSACTION',
        `producer ${batch.producerId} has a transaction open since offset ${entry.currentTxnFirstOffset}`,
      );
    }
    this.checkSequence(entry, batch);
    this.put(withBatch(entry, batch, nowMs), batch);
    return { kind: 'new' };
  }

  /**
   * A data batch the group coordinator writes for a producer (TxnOffsetCommit's offsets in
   * __consumer_offsets). As Kafka's ProducerAppendInfo for origin COORDINATOR: the epoch is fenced, but
   * sequences are neither checked nor deduplicated (the coordinator writes every batch at sequence 0; a
   * retried commit is a new record, and the last one wins).
   */
  private checkCoordinatorBatch(batch: ProducerBatch, nowMs: number): ProducerCheck {
    const entry = this.current(batch.producerId);
    if (entry !== undefined && batch.producerEpoch < entry.producerEpoch) {
      throw new LogAppendError(
        'INVALID_PRODUCER_EPOCH',
        `producer ${batch.producerId} sent epoch ${batch.producerEpoch}; the partition has seen epoch ${entry.producerEpoch}`,
      );
    }
    if (entry?.currentTxnFirstOffset !== undefined && batch.isTransactional !== true) {
      throw new LogAppendError(
        'NOT_TRANSACTIONAL_IN_TRANSACTION',
        `producer ${batch.producerId} has a transaction open since offset ${entry.currentTxnFirstOffset}`,
      );
    }
    this.put(withBatch(entry, batch, nowMs), batch);
    return { kind: 'new' };
  }

  private checkSequence(entry: ProducerEntry | undefined, batch: ProducerBatch): void {
    const { producerId, producerEpoch, baseSequence } = batch;
    if (entry === undefined) {
      // A producer this partition has never seen (or has forgotten) must start at 0. Accepting any
      // sequence would let a retry land after the state was lost, for example when the batch it retries
      // was appended, the state expired, and the retry arrives: it would be appended a second time.
      if (baseSequence !== 0) {
        throw new LogAppendError(
          'OUT_OF_ORDER_SEQUENCE',
          `producer ${producerId} is unknown to this partition and must start at sequence 0, not ${baseSequence}`,
        );
      }
      return;
    }
    if (producerEpoch < entry.producerEpoch) {
      throw new LogAppendError(
        'INVALID_PRODUCER_EPOCH',
        `producer ${producerId} sent epoch ${producerEpoch}; the partition has seen epoch ${entry.producerEpoch}`,
      );
    }
    if (producerEpoch > entry.producerEpoch) {
      if (baseSequence !== 0) {
        throw new LogAppendError(
          'OUT_OF_ORDER_SEQUENCE',
          `producer ${producerId} starts epoch ${producerEpoch} at sequence ${baseSequence}, not 0`,
        );
      }
      return;
    }
    const last = entry.batches[entry.batches.length - 1];
    // No batch of this epoch yet (a marker moved the producer to it): the epoch starts at sequence 0.
    const expected = last === undefined ? 0 : nextSequence(last.lastSequence);
    if (baseSequence !== expected) {
      throw new LogAppendError(
        'OUT_OF_ORDER_SEQUENCE',
        `producer ${producerId} epoch ${producerEpoch} sent sequence ${baseSequence}; expected ${expected}`,
      );
    }
  }

  /**
   * Records a batch without checks (Kafka's origin REPLICATION): followers and recovery take what the
   * leader wrote, so the state a new leader starts from matches the log. A lower epoch than the one known
   * is ignored, as it can only come from a log the state already moved past. A marker's coordinator epoch
   * is taken as written, even when lower than the one known (Kafka only logs that for replication): the
   * leader checked it against the state it had, and the follower's state must end where the leader's did.
   */
  record(batch: ProducerBatch, nowMs: number): void {
    if (!isIdempotent(batch)) return;
    if (batch.isControl === true) {
      // An unreadable marker cannot have come from a leader (it refuses them): it closes nothing.
      if (batch.controlMarker === null || batch.controlMarker === undefined || !markerFieldsValid(batch))
        return;
      const entry = this.current(batch.producerId);
      if (entry !== undefined && batch.producerEpoch < entry.producerEpoch) return;
      this.applyMarker(entry, batch, nowMs);
      return;
    }
    // Fields the leader would have refused can only be in a log written before idempotence existed.
    if (!fieldsValid(batch)) return;
    const entry = this.current(batch.producerId);
    if (entry !== undefined && batch.producerEpoch < entry.producerEpoch) return;
    this.put(withBatch(entry, batch, nowMs), batch);
  }

  commit(): void {
    assert(!this.committed, 'a producer append commits once');
    this.committed = true;
    this.manager.applyEntries(this.scratch.values(), this.lastTransactionalOffset);
  }
}
